"""Messages of the release records and the release guard (scripts/load/release_index.py, scripts/validate/release_guard.py):
code -> (zh, en, hint_zh, hint_en), merged into scripts/messages/__init__.py MESSAGES."""

_NEVER_EDITED_ZH = "已发布的版本只增不改：撤销这一修改；更正和状态变化请发布新版本（python -m scripts release --version …）"
_NEVER_EDITED_EN = ("published releases are never edited: revert this change; corrections go into a new version "
                    "(python -m scripts release --version …)")
_HISTORY_ZH = "完整克隆后再核对（git fetch --unshallow；CI 中 actions/checkout 用 fetch-depth: 0）"
_HISTORY_EN = "check again in a full clone (git fetch --unshallow; in CI actions/checkout with fetch-depth: 0)"

RELEASE_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "release-field-type": (
        "发布记录的这个字段应为{type_zh}",
        "this field of the release record must be {type_en}",
        "写成 {example}；发布记录只由 python -m scripts release 写入",
        "write {example}; release records are written by python -m scripts release only",
    ),
    "release-duplicate": (
        "版本 {version} 在发布记录中出现了不止一次",
        "release {version} is recorded more than once",
        "每个版本只记录一次；删除重复的记录",
        "record each version once: remove the duplicate entry",
    ),
    "release-file-changed": (
        "已发布版本 {version} 的文件被修改（与 {base} 中的不同）",
        "a file of published release {version} was changed (it differs from {base})",
        _NEVER_EDITED_ZH, _NEVER_EDITED_EN,
    ),
    "release-file-removed": (
        "已发布版本 {version} 的文件被删除（{base} 中有）",
        "a file of published release {version} was removed (it is in {base})",
        _NEVER_EDITED_ZH, _NEVER_EDITED_EN,
    ),
    "release-file-added": (
        "向已发布版本 {version} 添加了文件（{base} 中没有）",
        "a file was added to published release {version} (it is not in {base})",
        _NEVER_EDITED_ZH, _NEVER_EDITED_EN,
    ),
    "release-entry-changed": (
        "releases/index.yaml 中已发布版本 {version} 的记录被修改（与 {base} 中的不同）",
        "the record of published release {version} in releases/index.yaml was changed (it differs from {base})",
        _NEVER_EDITED_ZH, _NEVER_EDITED_EN,
    ),
    "release-entry-removed": (
        "releases/index.yaml 中已发布版本 {version} 的记录被删除（{base} 中有）",
        "the record of published release {version} was removed from releases/index.yaml (it is in {base})",
        _NEVER_EDITED_ZH, _NEVER_EDITED_EN,
    ),
    "release-base-unavailable": (
        "无法与 {base} 比较发布记录：{detail}",
        "cannot compare the release records with {base}: {detail}",
        "BASE 必须是存在的 git 引用（如 origin/main；CI 中 fetch-depth: 0）",
        "BASE must be an existing git ref (e.g. origin/main; in CI check out with fetch-depth: 0)",
    ),
    "release-snapshot-differs": (
        "版本 {version} 的快照与记录的提交 {commit} 中的 {source} 不同",
        "the snapshot of release {version} differs from {source} at its recorded commit {commit}",
        "快照必须与发布时的提交完全一致；撤销这一修改",
        "a snapshot is byte for byte what its recorded commit holds: revert this change",
    ),
    "release-snapshot-missing": (
        "版本 {version} 的快照缺少记录的提交 {commit} 中的 {source}",
        "the snapshot of release {version} lacks {source}, which its recorded commit {commit} holds",
        "快照必须与发布时的提交完全一致；恢复被删除的文件",
        "a snapshot is byte for byte what its recorded commit holds: restore the file",
    ),
    "release-snapshot-extra": (
        "版本 {version} 的快照中有记录的提交 {commit} 中没有的文件",
        "the snapshot of release {version} holds a file its recorded commit {commit} does not have",
        "快照必须与发布时的提交完全一致；删除这个文件",
        "a snapshot is byte for byte what its recorded commit holds: remove the file",
    ),
    "release-commit-missing": (
        "版本 {version} 记录的提交 {commit} 不在本仓库的历史中",
        "the commit {commit} recorded for release {version} is not in this repository's history",
        "commit 是发布时的提交号，发布后不可修改；撤销对它的修改",
        "commit is the commit the release was cut from and is never edited: revert the change",
    ),
    "release-history-unavailable": (
        "版本 {version} 无法按 git 历史核对：{reason_zh}",
        "release {version} cannot be checked against git history: {reason_en}",
        _HISTORY_ZH, _HISTORY_EN,
    ),
    "release-unverifiable": (
        "版本 {version} 发布时数据不在某个提交中（有未提交的修改或没有记录提交），快照无法按 git 历史核对",
        "release {version} was not cut from a commit (uncommitted changes, or no commit recorded): its snapshot "
        "cannot be checked against git history",
        "以后发布前先提交 data/ 与 schemas/ 的修改；对这个版本，拉取请求检查（--base）仍会拒绝任何修改",
        "commit data/ and schemas/ before releasing; for this release the pull-request check (--base) still "
        "refuses any change",
    ),
}
