"""The messages of the importer (python -m scripts import), Chinese first and English after; part of
scripts/messages.py MESSAGES (same entry shape: code -> (zh, en, hint_zh, hint_en))."""

IMPORT_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "import-no-file": ("找不到文件", "file not found", "检查文件路径", "check the path"),
    "import-convert": (
        "{suffix} 文件不能直接导入",
        "{suffix} files cannot be imported directly",
        "用 {app} 打开，另存为 {target}（表格也可另存为 .xlsx）后再导入",
        "open it in {app} and save it as {target} (a table may also be saved as .xlsx), then import that",
    ),
    "import-format": (
        "不支持的文件类型 {suffix}",
        "unsupported file type {suffix}",
        "支持 .xlsx、.xls、.csv、.docx 和带文字层的 .pdf",
        "supported: .xlsx, .xls, .csv, .docx and text PDFs",
    ),
    "import-unreadable": (
        "无法读取这个 {kind} 文件：{detail}",
        "cannot read this {kind} file: {detail}",
        "确认文件完整（下载未中断），用 WPS 或 Excel 打开后重新保存",
        "check the download is complete; open and save it again in WPS or Excel",
    ),
    "import-no-sheet": ("没有名为“{sheet}”的工作表", "there is no sheet called {sheet}", "可选：{sheets}", "sheets: {sheets}"),
    "import-encoding": (
        "文件既不是 UTF-8 也不是 GBK/GB18030 编码",
        "the file is neither UTF-8 nor GBK/GB18030",
        "在 Excel 中选择“另存为 → CSV UTF-8(逗号分隔)”",
        'in Excel use "Save as → CSV UTF-8 (comma delimited)"',
    ),
    "import-no-table": (
        "{kind} 文件中没有表格",
        "the {kind} file holds no table",
        "名单必须是表格；向发布部门索取 Excel 或 Word 版附件",
        "the list must be a table; ask the issuing department for the Excel or Word attachment",
    ),
    "import-no-text-layer": (
        "PDF 没有文字层（共 {pages} 页，是扫描件或图片），无法读出表格",
        "the PDF has no text layer ({pages} pages, a scan or images), so no table can be read",
        "向发布部门索取 Excel/Word 版附件；或用 OCR 软件转成 Excel，逐行核对后再导入",
        "ask the issuing department for the Excel/Word attachment, or OCR it into Excel and check every row before importing",
    ),
    "import-no-header": (
        "前 {scanned} 行中找不到表头",
        "no header row in the first {scanned} rows",
        "表头至少要有两列能对应到字段：{expected}；或用 --map 列名=字段 指定",
        "the header needs at least two columns that map to fields: {expected}; or use --map column=field",
    ),
    "import-unmapped": (
        "无法把这一列对应到字段",
        "this column cannot be placed",
        "用 --map 列名=字段 指定，或 --map 列名=- 忽略这一列；可用字段：{expected}",
        "name its field with --map column=field, or drop it with --map column=-; fields: {expected}",
    ),
    "import-duplicate-column": (
        "这一列和“{other}”都对应到字段 {field}",
        "this column and {other} both map to the field {field}",
        "用 --map 列名=- 忽略其中一列，或用 --map 列名=字段 改对应",
        "drop one with --map column=- or map it elsewhere with --map column=field",
    ),
    "import-map-syntax": ("--map 的写法不对", "malformed --map", "写成 --map 列名=字段，例如 --map 生产企业=company", "write --map column=field, e.g. --map 生产企业=company"),
    "import-map-field": ("--map 指定的字段不存在", "--map names an unknown field", "可用字段：{fields}；用 - 忽略该列", "fields: {fields}; use - to drop the column"),
    "import-option-field": (
        "数据集 {dataset} 没有字段 {field}，不能使用 --{option}",
        "the dataset {dataset} has no field {field}, so --{option} does not apply",
        "去掉 --{option}，或换一个数据集",
        "drop --{option} or choose another dataset",
    ),
    "import-year": (
        "需要指定年度",
        "the year is needed",
        "加上 --year 年份（文件中没有“年度”列）",
        "add --year YYYY (the file has no year column)",
    ),
    "import-no-rows": ("表头下面没有数据行", "no data rows below the header", "检查是否选对了文件或工作表（--sheet）", "check the file or the sheet (--sheet)"),
    "path-value": (
        "不能用作文件路径，应为{expect_zh}",
        "cannot be part of a file path: it must be {expect_en}",
        "改正这一格（或在说明文件 / --year 中给出年度）；没有写入任何文件",
        "correct the cell (or give the year in the sidecar / --year); nothing was written",
    ),
    "ids-exhausted": (
        "{year} 年度的编号已超出编号格式 {pattern} 能容纳的数量",
        "{year} has more records than the id pattern {pattern} can number",
        "没有写入任何文件；把名单拆分到正确的年度，或在表结构中放宽编号格式",
        "nothing was written; split the list into its right years, or widen the id pattern in the schema",
    ),
    "import-unexpected": (
        "导入这个附件时出现意外错误，没有导入：{detail}",
        "an unexpected error while importing this attachment; nothing imported: {detail}",
        "其他附件照常导入；请把这条信息报告给维护者",
        "the other attachments are imported as usual; please report this message to the maintainers",
    ),
    "import-sidecar": (
        "说明文件有误：{detail}",
        "the sidecar file is wrong: {detail}",
        "参照 inbox/README.md 写 dataset、year、stage、source_url 等",
        "see inbox/README.md: dataset, year, stage, source_url …",
    ),
}
