"""Every message the validator can print, Chinese first and English after.

Each entry: code -> (zh, en, hint_zh, hint_en). Templates use str.format fields. Keeping the wording in one
place lets tests check the messages themselves and keeps the two languages side by side.
"""

MESSAGES: dict[str, tuple[str, str, str, str]] = {
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
    # --- cells --------------------------------------------------------------------------------
    "missing-field": (
        "缺少必填字段“{title}”",
        "the required field {title_en} is missing",
        "在文件中加一行 {name}: …，例如 {name}: {example}",
        "add a line {name}: …, e.g. {name}: {example}",
    ),
    "required": ("必填字段为空", "required field is empty", "填写{title}，例如 {example}", "fill in {title_en}, e.g. {example}"),
    "type": ("不是有效的{type_zh}", "not a valid {type_en}", "{type_hint_zh}", "{type_hint_en}"),
    "pattern": ("格式不正确", "wrong format", "应写成类似 {example} 的形式", "write it like {example}"),
    "enum": ("不是允许的取值", "not an allowed value", "{suggest_zh}可选：{allowed}", "{suggest_en}allowed: {allowed}"),
    "minimum": ("小于允许的最小值 {limit}", "below the minimum {limit}", "填写不小于 {limit} 的数", "use a number of at least {limit}"),
    "maximum": ("大于允许的最大值 {limit}", "above the maximum {limit}", "填写不大于 {limit} 的数", "use a number of at most {limit}"),
    "minLength": ("太短（至少 {limit} 个字符）", "too short (at least {limit} characters)", "写出完整名称", "write the full name"),
    "maxLength": ("太长（最多 {limit} 个字符）", "too long (at most {limit} characters)", "缩短到 {limit} 个字符以内", "shorten it to {limit} characters"),
    "constraint": ("不符合约束 {detail}", "violates the constraint {detail}", "参照数据字典修改", "see the data dictionary"),
    "formula": (
        "以 {char} 开头，在 Excel 中可能被当作公式执行",
        "starts with {char}, which Excel may run as a formula",
        "删除开头的 {char}，或改写文字使其不以该字符开头",
        "remove the leading {char} or reword the text",
    ),
    "invisible-char": (
        "含有不可见字符 {chars}",
        "contains invisible character(s) {chars}",
        "删除这些不可见字符（通常来自网页或 Word 复制），重新输入该单元格",
        "delete the invisible characters (often pasted from web pages or Word) by retyping the cell",
    ),
    "non-ascii-code": (
        "编码/数字中含有非 ASCII 字符 {chars}（全角字符或外文字母）",
        "code or number contains non-ASCII character(s) {chars} (full-width or look-alike letters)",
        "切换到英文半角输入法重新输入，应为 {suggestion}",
        "retype it with a half-width (ASCII) keyboard: {suggestion}",
    ),
    "amount-unit": (
        "金额不能带单位或分隔符",
        "amounts must not contain units or separators",
        "以“元”为单位写纯数字：{suggestion}",
        "write whole yuan as a bare number: {suggestion}",
    ),
    "credit-code-checksum": (
        "统一社会信用代码校验位错误（按 GB 32100-2015 最后一位应为 {expected}）",
        "unified social credit code checksum fails (GB 32100-2015 expects last character {expected})",
        "对照营业执照逐位核对；以 000 结尾的代码常是被 Excel 截断的副本",
        "check each character against the business licence; codes ending in 000 are often Excel-truncated copies",
    ),
    "credit-code-length": (
        "统一社会信用代码应为 18 位，这里是 {length} 位",
        "a unified social credit code has 18 characters, this has {length}",
        "对照营业执照补全；Excel 可能截断了长数字",
        "copy it from the business licence; Excel may have truncated it",
    ),
    "credit-code-chars": (
        "统一社会信用代码含有不允许的字符 {chars}（不使用 I、O、S、V、Z）",
        "unified social credit code contains invalid character(s) {chars} (I, O, S, V, Z are never used)",
        "核对营业执照，例如 O 应为数字 0",
        "check the business licence, e.g. the letter O should be the digit 0",
    ),
    "credit-code-district": (
        "统一社会信用代码第 3–8 位登记机关代码 {division} 与所在地区 {district} 不一致",
        "positions 3-8 of the credit code ({division}) differ from the district {district}",
        "请复核企业所在地区（提示，不算错误）",
        "please review the district (a flag, not an error)",
    ),
    "url-scheme": (
        "链接必须以 http:// 或 https:// 开头",
        "links must start with http:// or https://",
        "粘贴官方通知页面的完整网址",
        "paste the full address of the official notice page",
    ),
    "duplicate-id": (
        "编号重复（已在 {other} 使用）",
        "duplicate id (already used at {other})",
        "编号在所有年度中必须唯一，改用下一个未使用的编号，例如运行 python -m scripts new",
        "ids must be unique across all years; use the next free id (e.g. python -m scripts new)",
    ),
    "id-year": (
        "编号中的年份与年度 {year} 不一致",
        "the year in the id does not match the year {year}",
        "编号应为 {example} 的形式",
        "the id should look like {example}",
    ),
    "unknown-reference": (
        "在{target_zh}中找不到",
        "not found in {target}",
        "{suggest_zh}可选值见 {target_path}",
        "{suggest_en}see {target_path} for allowed values",
    ),
    "date-order": (
        "{end_title}早于{start_title} {start}",
        "{end} is before {start_field} {start}",
        "检查两个日期是否写反",
        "check whether the two dates are swapped",
    ),
    "award-fixed": (
        "“{award_type}”的奖励金额按政策固定为 {amount} 元",
        'the policy fixes the amount for "{award_type}" at {amount} yuan',
        "改为 {amount}（依据：{basis}）",
        "change it to {amount} (policy: {basis})",
    ),
    "award-cap": (
        "超过“{award_type}”的政策上限 {cap} 元",
        'above the policy cap of {cap} yuan for "{award_type}"',
        "金额不得超过 {cap}（依据：{basis}）",
        "the amount may not exceed {cap} (policy: {basis})",
    ),
    "premium-missing": (
        "保费补贴必须填写保费金额",
        "a premium subsidy needs the premium amount",
        "在 premium_yuan 中填写实际保费（元）",
        "fill in premium_yuan with the premium paid (yuan)",
    ),
    "premium-ratio": (
        "补贴 {amount} 元超过保费 {premium} 元的 {ratio}%（最多 {allowed} 元）",
        "subsidy {amount} is more than {ratio}% of the premium {premium} (at most {allowed})",
        "补贴不得超过保费的 {ratio}%（行动方案第 18 条）",
        "the subsidy may be at most {ratio}% of the premium (measure 18)",
    ),
    "premium-company-year": (
        "该企业 {year} 年保费补贴合计 {total} 元，超过每家每年 {cap} 元的上限",
        "premium subsidies for this company in {year} total {total} yuan, above the cap of {cap} per company per year",
        "同一企业同一年度的补贴合计不得超过 {cap} 元（行动方案第 18 条）；涉及：{rows}",
        "one company's subsidies in one year may total at most {cap} (measure 18); rows: {rows}",
    ),
    "premium-only": (
        "保费只用于保费补贴类奖励",
        "a premium belongs only to premium subsidies",
        "清空 premium_yuan",
        "empty premium_yuan",
    ),
    "too-few-rows": (
        "数据集只有 {count} 条记录，少于预期的最少 {min} 条",
        "the dataset has {count} records, fewer than the expected minimum {min}",
        "检查文件是否被截断或误删；如确属正常，修改 dataset.yaml 中的 assertions.min",
        "check for truncated or deleted files; if this is right, change assertions.min in dataset.yaml",
    ),
    "too-many-rows": (
        "数据集有 {count} 条记录，多于预期的最多 {max} 条",
        "the dataset has {count} records, more than the expected maximum {max}",
        "检查是否有重复导入；如确属正常，修改 dataset.yaml 中的 assertions.max",
        "check for a duplicate import; if this is right, change assertions.max in dataset.yaml",
    ),
    "company-name-mismatch": (
        "同一统一社会信用代码对应了不同的名称（{other_name}，见 {other}）",
        "the same credit code has a different name ({other_name}, at {other})",
        "核对企业全称（提示，不算错误）",
        "check the registered name (a flag, not an error)",
    ),
    "metadata": ("数据集说明不符合要求：{detail}", "dataset metadata is invalid: {detail}", "参照 schemas/dataset.meta.schema.json", "see schemas/dataset.meta.schema.json"),
    "missing-schema": ("找不到表结构文件 {schema}", "schema file {schema} not found", "检查 dataset.yaml 中的 schema", "check schema in dataset.yaml"),
}

TYPE_WORDS = {
    "integer": ("整数", "integer", "只写阿拉伯数字，不带单位、逗号或小数点", "digits only, no units, commas or decimal point"),
    "number": ("数字", "number", "只写数字，例如 0.9", "digits only, e.g. 0.9"),
    "date": ("日期", "date", "写成 YYYY-MM-DD，例如 2025-06-30", "write YYYY-MM-DD, e.g. 2025-06-30"),
    "boolean": ("是/否值", "boolean", "写 true 或 false", "write true or false"),
    "list": ("列表", "list", "多个值用英文分号 ; 分隔", "separate several values with ;"),
    "string": ("文本", "text", "", ""),
}
