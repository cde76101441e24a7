"""The messages of the importer (python -m scripts import), Chinese first and English after; part of
scripts/messages/__init__.py MESSAGES (same entry shape: code -> (zh, en, hint_zh, hint_en))."""

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
    "import-too-large": (
        "文件有 {size}，超过 {limit} 的上限",
        "the file is {size}, over the {limit} limit",
        "名单附件不会这么大：确认文件来源，或拆分后分别导入",
        "an official list is never this large: check where it came from, or split it and import each part",
    ),
    "import-zip-bomb": (
        "{kind} 文件的压缩包异常：{what_zh}（上限 {limit}），已拒绝读取",
        "the {kind} file is an abnormal zip: {what_en} (limit {limit}); refused",
        "正常的 Office 文件不会这样：用 WPS 或 Office 打开后重新保存，或向发布部门索取原件",
        "ordinary Office files never look like this: open and save it again in WPS or Office, or ask for the original",
    ),
    "import-xml-doctype": (
        "{kind} 文件的 {member} 含有 DOCTYPE 或实体声明，已拒绝读取",
        "{member} in the {kind} file declares a DOCTYPE or entities; refused",
        "正常的 Office 文件不含这些声明：用 WPS 或 Office 打开后重新保存，或向发布部门索取原件",
        "ordinary Office files never declare them: open and save it again in WPS or Office, or ask for the original",
    ),
    "import-too-many": (
        "{kind} 文件的{what_zh}超过上限 {limit}，已停止读取",
        "the {kind} file has more {what_en} than the limit of {limit}; reading stopped",
        "名单不会这么长：拆分成几个附件分别导入，或确认文件来源",
        "an official list is never this long: split it into several files, or check where it came from",
    ),
    "import-cell-too-long": (
        "第 {column} 列的单元格有 {length} 个字符，超过上限 {limit}",
        "the cell in column {column} holds {length} characters, over the {limit} limit",
        "名单的单元格不会这么长：检查附件中这一格",
        "a list cell is never this long: check this cell in the attachment",
    ),
    "import-pdf-inflate": (
        "PDF 中的压缩数据解压后超过 {limit}，已拒绝读取",
        "the PDF's compressed streams inflate to more than {limit}; refused",
        "正常的名单 PDF 不会这样：向发布部门索取 Excel/Word 版附件",
        "an ordinary list PDF never does this: ask the issuing department for the Excel/Word attachment",
    ),
    "import-too-slow": (
        "读取 {kind} 文件超过 {limit} 秒，已停止",
        "reading the {kind} file took over {limit} s; stopped",
        "拆分后分别导入，或向发布部门索取 Excel/Word 版附件",
        "split it and import each part, or ask the issuing department for the Excel/Word attachment",
    ),
    "import-memory": (
        "读取 {kind} 文件时内存不足",
        "ran out of memory reading the {kind} file",
        "正常的名单附件不会这样：确认文件来源，或用 WPS 或 Office 打开后重新保存",
        "an ordinary list never does this: check where it came from, or open and save it again in WPS or Office",
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
    "import-unmapped-more": (
        "无法把这一列对应到字段",
        "this column cannot be placed",
        "同样用 --map 列名=字段 或 --map 列名=- ；可用字段见上面第一条“无法把这一列对应到字段”",
        "likewise --map column=field or --map column=-; the fields are listed with the first such column above",
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
        "数据集 {dataset} 没有字段 {target}，不能使用 --{option}",
        "the dataset {dataset} has no field {target}, so --{option} does not apply",
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
    "import-stage-back": (
        "这份名单会把 {id} 的阶段从“{now}”改回更早的“{asked}”（现在来自：{now_list}；这份名单：{asked_list}）",
        "this list would move {id} back from {now!r} to the earlier stage {asked!r} (now from: {now_list}; "
        "this list: {asked_list})",
        "阶段只能向前：公示 → 拟认定 → 认定 → 撤销。多半是导入了较早的名单；确认要回退时加 --confirm-move-back（说明文件写 confirm_move_back: true）",
        "stages only move forward (公示 → 拟认定 → 认定 → 撤销); an older list was probably imported again. To move back "
        "on purpose add --confirm-move-back (sidecar: confirm_move_back: true)",
    ),
    "import-withdrawn-unknown": (
        "撤销的这一项在已有记录中找不到：撤销不会新建记录，没有写入",
        "this withdrawn item matches no existing record: a withdrawal never creates one, nothing written",
        "最接近的记录是 {closest}；按原名单的写法改正名称，或先导入它所在的名单（年度、名单类别须一致）",
        "the closest record is {closest}; write the name as the original list printed it, or import that list first "
        "(same year and list kind)",
    ),
    "import-company-near": (
        "企业库中没有这个名称，它与登记的“{near}”相近（多半是简称）：不会另建一家企业，没有写入",
        "this name is not in the companies registry but is close to the registered {near!r} (most likely its short "
        "name): no second company is made, nothing written",
        "如果就是 {near}：在附件中写全称“{near}”，或把这个写法加到 {registry} 中该企业的 aliases（分号分隔），再导入即可按别名识别；"
        "如果是另一家企业，先在 {registry} 中加上它的全称",
        "if it is {near}: write the full name {near!r} in the attachment, or add this spelling to that company's "
        "aliases in {registry} (separated by ;) and import again (it is then found by its alias); if it is another "
        "company, add its full name to {registry} first",
    ),
    "import-year-title": (
        "--year {year} 与标题中的年度 {title_year} 不一致：{title}",
        "--year {year} contradicts the year {title_year} in the title: {title}",
        "按标题改为 --year {title_year}；确实不同时，先核对通知原文",
        "use --year {title_year} as the title says; if they really differ, check the notice first",
    ),
    "import-batch-title": (
        "--batch {batch} 与标题中的批次 第{title_batch}批 不一致：{title}",
        "--batch {batch} contradicts batch {title_batch} (第{title_batch}批) in the title: {title}",
        "按标题改为 --batch {title_batch}（说明文件写 batch: {title_batch}）；确实不同时，先核对通知原文",
        "use --batch {title_batch} as the title says (sidecar: batch: {title_batch}); if they really differ, check the "
        "notice first",
    ),
    "import-place-near": (
        "地点不是登记的名称，只是包含“{near_name}”（{near}），不能据此认定在嘉兴：没有写入",
        "the place is not a registered name, it only contains {near_name!r} ({near}): not taken as in Jiaxing, nothing written",
        "如果确实就是 {near_name}，在附件中改写为“{near_name}”，或把这个写法加到 data/registry/{table}/ 中 {near} 的 aliases；"
        "如果在嘉兴以外，写明所在城市（如 丽水市）",
        "if it really is {near_name}, write {near_name!r} in the attachment or add this spelling to the aliases of {near} in "
        "data/registry/{table}/; if it is outside Jiaxing, name its city (e.g. 丽水市)",
    ),
    "import-money-unit-unknown": (
        "不知道这个金额的单位（元、万元还是亿元？）",
        "the unit of this amount is not known (yuan, 10,000 yuan or 100 million yuan?)",
        "表头和“单位：”行都没有写明；按通知原文加 --unit 万元（或 元、亿元；说明文件写 unit: 万元）",
        "neither the header nor a “单位：” line says it: add --unit 万元 (or 元, 亿元; sidecar unit: 万元) as the notice says",
    ),
    "import-money-inexact": (
        "金额换算为{target}后不是整数（单位：{unit}）",
        "the amount is not a whole number of {target} (unit: {unit})",
        "核对金额和单位；{target}以下的零头不能记录",
        "check the amount and its unit; fractions of a {target} cannot be recorded",
    ),
    "import-money-not-a-number": (
        "金额不是数字",
        "the amount is not a number",
        "只写数字（可带千位分隔符和单位，如 1,200 或 120万元）",
        "write digits only (thousands separators and a unit such as 120万元 are fine)",
    ),
    "import-unit-conflict": (
        "表头写的单位是 {header}，与 --unit {given} 不一致",
        "the header says {header}, which contradicts --unit {given}",
        "表头写明了单位时不必再给 --unit；去掉 --unit，或核对附件",
        "drop --unit when the header states the unit, or check the attachment",
    ),
    "import-money-family": (
        "{unit} 的金额不能记入以 {target} 计的字段",
        "an amount in {unit} cannot go into a field kept in {target}",
        "核对表头的单位：总额与按年计的金额不能互换",
        "check the header's unit: totals and yearly amounts are not interchangeable",
    ),
    "import-company-near-in-list": (
        "这个名称与本名单第 {other_line} 行的“{other}”相近，多半是同一家企业的两种写法：不会建成两家企业，没有写入",
        "this name is close to {other!r} on row {other_line} of this list, most likely two spellings of one company: "
        "no two companies are made, nothing written",
        "在附件中统一写成全称；确是两家不同的企业时，先把两者的全称加到 {registry}，再导入",
        "write one full name in the attachment; if they really are two companies, add both full names to {registry} "
        "first, then import",
    ),
}
