"""Messages of the inbox's web path (scripts/importer/commit_back.py, push.py, leftover.py): code -> (zh, en,
hint_zh, hint_en), merged into scripts/messages.MESSAGES."""

INBOX_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "inbox-leftover": (
        "附件仍在 inbox/ 中，它的数据行不在这个版本里",
        "an attachment is still in inbox/: its rows are not in this version",
        "{hint_zh}",
        "{hint_en}",
    ),
    "inbox-not-imported": (
        "这个附件没有成功导入（{out} 中没有它成功的导入记号）",
        "this attachment was not imported successfully (no success mark in {out})",
        "运行 make import-inbox，按审核报告修正附件或说明文件，成功后才会提交",
        "run make import-inbox and fix the attachment or sidecar as its report says: only a success is committed",
    ),
    "inbox-stale": (
        "数据文件与导入时写入的不同",
        "the data file differs from what the import wrote",
        "删除 {out} 后重新运行 make import-inbox",
        "delete {out} and run make import-inbox again",
    ),
    "inbox-invalid": (
        "导入后的数据没有通过校验（{count} 个错误），什么也没有提交",
        "the imported data does not validate ({count} errors); nothing committed",
        "按审核报告修正附件或说明文件，再上传一次",
        "fix the attachment or the sidecar as the review report says and upload it again",
    ),
    "inbox-git": (
        "git 出错：{detail}",
        "git failed: {detail}",
        "{hint_zh}",
        "{hint_en}",
    ),
}
