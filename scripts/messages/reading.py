"""The messages of reading a data tree (files, encodings, CSV shape, YAML), Chinese first and English after; part
of scripts/messages/__init__.py MESSAGES (same entry shape: code -> (zh, en, hint_zh, hint_en))."""

READING_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    # --- files -------------------------------------------------------------------------------
    "not-utf8": (
        "文件不是 UTF-8 编码{guess_zh}",
        "the file is not UTF-8{guess_en}",
        "在 Excel 中选择“另存为 → CSV UTF-8(逗号分隔)”，或在编辑器中以 UTF-8 编码保存",
        'in Excel use "Save as → CSV UTF-8 (comma delimited)", or save the file as UTF-8 in your editor',
    ),
    "empty-file": ("文件是空的", "the file is empty", "至少需要表头一行", "the file needs at least the header row"),
    "unknown-column": (
        "表头中有未知的列",
        "unknown column in the header",
        "{suggest_zh}允许的列：{allowed}",
        "{suggest_en}allowed columns: {allowed}",
    ),
    "missing-column": (
        "表头缺少这一列",
        "the header lacks this column",
        "在表头加上“{column}”这一列（可留空的列也要有）",
        'add the column "{column}" to the header (even optional columns must be present)',
    ),
    "duplicate-column": ("表头中这一列出现了两次", "this column appears twice in the header", "删除重复的列", "remove the duplicate column"),
    "ragged-row": (
        "本行有 {got} 个单元格，而表头有 {want} 列",
        "this row has {got} cells but the header has {want} columns",
        "检查是否有文字中的英文逗号没有加双引号，或多/少了分隔逗号",
        "check for a comma inside text that is not wrapped in double quotes, or a missing/extra separator",
    ),
    "multiline-cell": (
        "单元格跨越了第 {first}–{last} 行",
        "a cell spans lines {first}-{last}",
        "很可能缺少一个闭合的双引号；单元格内不允许换行",
        "most likely a closing double quote is missing; cells may not contain line breaks",
    ),
    "symlink": (
        "是符号链接，数据目录中不允许链接（未读取，也未跟随）",
        "is a symbolic link; links are not allowed in the data tree (not read, not followed)",
        "用真实的文件或目录代替这个链接",
        "replace the link with the real file or folder",
    ),
    "special": (
        "不是普通文件（管道、套接字或设备），未读取",
        "is not a regular file (a pipe, socket or device); not read",
        "删除它，数据目录中只能有普通文件和目录",
        "delete it: the data tree holds only regular files and folders",
    ),
    "unreadable": ("无法读取", "cannot be read", "检查文件权限", "check the file permissions"),
    "tree-too-many-files": (
        "数据目录中的文件超过 {limit} 个，未读取任何文件",
        "the data tree holds more than {limit} files; nothing was read",
        "每个数据集按年度一个 CSV 文件，或每条记录一个 YAML 文件；删除误提交或生成的文件",
        "a dataset keeps one CSV per year, or one YAML file per record: remove files committed by mistake or generated",
    ),
    "file-too-large": (
        "文件有 {size}，超过单个文件的上限 {limit}，未读取任何文件",
        "the file is {size}, over the limit of {limit} per file; nothing was read",
        "按年度拆分成多个文件；检查是否误提交了导出的大文件",
        "split it into one file per year; check that no large export was committed by mistake",
    ),
    "tree-too-large": (
        "数据目录共有 {size}，超过上限 {limit}，未读取任何文件（最大的文件：{largest}）",
        "the data tree holds {size}, over the limit of {limit}; nothing was read (largest file: {largest})",
        "删除误提交的大文件，或把不属于数据的文件移出 data/",
        "remove large files committed by mistake, or move files that are not data out of data/",
    ),

    "source-symlink": (
        "是符号链接，构建复制的来源（site/、主题 overrides/、releases/）中不允许链接；构建已停止，未发布任何文件",
        "is a symbolic link; links are not allowed where the build copies from (site/, theme overrides/, releases/):"
        " the build stopped and published nothing",
        "用真实的文件或目录代替这个链接，或删除它",
        "replace the link with the real file or folder, or delete it",
    ),
    "source-special": (
        "不是普通文件（管道、套接字或设备），构建复制的来源中只能有普通文件和目录；构建已停止",
        "is not a regular file (a pipe, socket or device); the build copies only regular files and folders: it stopped",
        "删除它",
        "delete it",
    ),

    "not-a-file": ("这里应该是一个文件，却是一个目录", "this should be a file but is a folder", "把目录换成文件", "replace the folder with a file"),
    "unsafe-name": (
        "文件或目录名含有控制字符、不可见字符、引号或空白",
        "the file or folder name contains control, invisible, quote or white-space characters",
        "只用字母、数字、汉字、- _ . 重新命名",
        "rename it using letters, digits, - _ . only",
    ),
    "stray-file": (
        "不属于任何数据集（所在目录及其上级目录中都没有 dataset.yaml），不会被发布",
        "belongs to no dataset (no dataset.yaml in its folder or above) and would never be published",
        "移到对应数据集的目录中（例如 data/products/），或删除它",
        "move it into its dataset's folder (e.g. data/products/), or delete it",
    ),
    "bad-path": (
        "文件名或目录不符合规定的格式 {template}",
        "the file name or folder does not follow the pattern {template}",
        "按 {template} 命名，例如 {example}",
        "name it after {template}, e.g. {example}",
    ),
    "path-mismatch": (
        "与文件路径不一致（路径中为 {expected}）",
        "does not match the file path (the path says {expected})",
        "把该字段改为 {expected}，或把记录移到正确的文件中",
        "change the field to {expected}, or move the record to the right file",
    ),
    "more-problems": (
        "…另有 {count} 个问题未列出（每个文件只列出前 50 个）",
        "…{count} more problems not shown (the first 50 per file are listed)",
        "先改正上面列出的问题再重新校验；问题这么多通常是整个文件的格式错了（分隔符、编码或表头）",
        "fix the problems above and validate again; this many usually means the whole file is malformed (separator, encoding or header)",
    ),
    "more-problems-total": (
        "…另有 {count} 个问题未列出（涉及从这里开始的 {files} 个文件；一次最多列出 {limit} 个）",
        "…{count} more problems not shown (in {files} files from here on; at most {limit} are listed)",
        "先改正上面列出的问题再重新校验",
        "fix the problems above and validate again",
    ),
    "csv-error": (
        "CSV 无法继续读取：{detail}",
        "the CSV cannot be read any further: {detail}",
        "单元格最多 {limit} 个字符；检查是否缺少闭合的双引号",
        "a cell holds at most {limit} characters; check for a missing closing double quote",
    ),
    # --- YAML ---------------------------------------------------------------------------------
    "yaml-syntax": ("YAML 语法错误：{detail}", "YAML syntax error: {detail}", "检查缩进（用空格，不用 Tab）和冒号后的空格", "check the indentation (spaces, not tabs) and the space after each colon"),
    "yaml-not-mapping": ("文件内容必须是“字段: 值”的映射", "the file must be a mapping of field: value", "参照示例文件，每行写“字段: 值”", "follow an example file: one 'field: value' per line"),
    "yaml-duplicate-key": (
        "字段重复出现（第一次在第 {first} 行），YAML 会静默保留最后一个值",
        "the key appears twice (first on line {first}); YAML would silently keep the last value",
        "删除其中一个",
        "delete one of them",
    ),
    "yaml-anchor": ("数据文件中不允许使用 YAML 锚点或别名（{token}）", "YAML anchors and aliases ({token}) are not allowed in data files", "把引用的内容直接写出来", "write the referenced value out in full"),
    "yaml-too-deep": (
        "YAML 嵌套超过 {limit} 层，未读取",
        "the YAML nests deeper than {limit} levels; not read",
        "数据文件只需要“字段: 值”和简单列表",
        "data files need only 'field: value' lines and simple lists",
    ),
    "yaml-too-large": (
        "YAML 文件超过 {limit} 个值，未读取",
        "the YAML file has more than {limit} values; not read",
        "一个文件只写一条记录或一个数据集说明",
        "one file holds one record or one dataset description",
    ),
    "yaml-tag": (
        "不允许使用 YAML 标签 {token}（读取程序无法识别）",
        "the YAML tag {token} is not allowed (the loader cannot read it)",
        "删除标签；文字请用引号括起来",
        "remove the tag; quote text instead",
    ),
    "yaml-complex-key": (
        "键必须是简单的文字，不能是列表或映射",
        "a key must be plain text, not a list or mapping",
        "改写为“字段: 值”",
        "write it as 'field: value'",
    ),
    "yaml-implicit-type": (
        "未加引号的 {raw} 会被 YAML 解析为{typ_zh}，而这里需要文本",
        "unquoted {raw} is read by YAML as {typ_en}, but text is expected here",
        "加上引号：{name}: \"{raw}\"",
        'quote it: {name}: "{raw}"',
    ),
    "yaml-octal": (
        "以 0 开头的数字 {raw} 会被 YAML 当作八进制数",
        "the number {raw} starts with 0 and YAML reads it as octal",
        "去掉前导 0，或如果是编号请加引号",
        "remove the leading zero, or quote it if it is a code",
    ),
    "yaml-sexagesimal": (
        "{raw} 会被 YAML 1.1 当作六十进制数",
        "YAML 1.1 reads {raw} as a base-60 number",
        "加上引号，或写成纯数字",
        "quote it, or write a plain number",
    ),
    "yaml-expected-list": (
        "这里需要一个列表",
        "a list is expected here",
        "每项写一行，以“- ”开头，例如 {name}: 换行后写 “  - 第一项”",
        "write one item per line starting with '- ' under {name}:",
    ),
    "yaml-expected-scalar": ("这里需要单个值，而不是列表或映射", "a single value is expected here, not a list or mapping", "只写一个值", "write a single value"),
    "unknown-field": ("未知字段", "unknown field", "{suggest_zh}允许的字段：{allowed}", "{suggest_en}allowed fields: {allowed}"),
}
