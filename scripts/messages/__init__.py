"""Every message the validator can print, Chinese first and English after.

Each entry: code -> (zh, en, hint_zh, hint_en). Templates use str.format fields. Keeping the wording in one
place lets tests check the messages themselves and keeps the two languages side by side. Reading files and YAML:
scripts/messages/reading.py; the importer: scripts/messages/importer.py (its inbox: scripts/messages/inbox.py);
the programme rules: scripts/messages/rules.py; units: scripts/messages/units.py; the release guard and record
fields: scripts/messages/release.py; here the cells, datasets, schemas and releases. MESSAGES holds them all.
"""

from .importer import IMPORT_MESSAGES
from .inbox import INBOX_MESSAGES
from .reading import READING_MESSAGES
from .release import RELEASE_MESSAGES
from .rules import RULE_MESSAGES
from .units import UNIT_MESSAGES

MESSAGES: dict[str, tuple[str, str, str, str]] = {
    **READING_MESSAGES,
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
    "number-range": (
        "数值超出范围（须为有限数，绝对值小于 {limit}）",
        "the number is out of range (finite, below {limit} in absolute value)",
        "核对数值与单位；所有下载格式（含 Excel）只能准确保存小于 {limit} 的数",
        "check the value and its unit; every download format (Excel too) keeps numbers below {limit} exactly",
    ),
    "cell-too-long": (
        "单元格有 {length} 个字符，超过 Excel 单元格的上限 {limit}",
        "the cell has {length} characters, more than an Excel cell holds ({limit})",
        "缩短文字，或把全文放在来源网页并填写链接",
        "shorten the text, or put the full text on the source page and link to it",
    ),
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
    "url-unsafe": (
        "链接中有网址不需要的字符 {chars}",
        "the link contains characters a web address does not need: {chars}",
        "从浏览器地址栏复制完整网址（空格、中文、括号等会被自动编码为 %XX）",
        "copy the full address from the browser's address bar (spaces, Chinese, brackets become %XX)",
    ),
    "url-host": (
        "链接缺少有效的主机名",
        "the link has no valid host name",
        "写成 https://www.example.gov.cn/… 的形式",
        "write it like https://www.example.gov.cn/…",
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
    "award-type-number": (
        "规则为 {rule} 的奖励类型必须在这里填写有效的数字",
        "an award type with rule {rule} needs a valid number here",
        "金额写不带单位的整数（元），比例写 0 到 1 之间的小数，例如 0.9",
        "write amounts as whole yuan without units, ratios as a decimal between 0 and 1, e.g. 0.9",
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
    # --- values, datasets, schemas, releases ---------------------------------------------------------
    "whitespace": (
        "名称或文字前后有空格，或含全角空格/不间断空格",
        "leading/trailing spaces, or a full-width or no-break space",
        "删除多余的空格，应为：{suggestion}",
        "remove the extra spaces: {suggestion}",
    ),
    "placeholder": (
        "草稿中的占位内容还没有替换",
        "a draft placeholder has not been replaced",
        "{hint_zh}",
        "{hint_en}",
    ),
    "example-in-real-data": (
        "数据集已标为真实数据（example: false），但这一行仍是示例数据（含“示例”）",
        "the dataset is marked real (example: false) but this row is still fictional example data",
        "删除示例行，或在 dataset.yaml 中保留 example: true",
        "delete the example rows, or keep example: true in dataset.yaml",
    ),
    "source-required": (
        "真实数据必须填写{title}",
        "real data needs {title_en}",
        "填写官方通知的{title}（dataset.yaml 为 example: true 时可不填）",
        "fill in {title_en} of the official notice (optional only while the dataset is example: true)",
    ),
    "status-declaration": (
        "display.status 与“{status_field}”的可选值不一致：{detail}",
        "display.status does not match the allowed values of {status_field}: {detail}",
        "in_force、pending、withdrawn 合起来恰好列出每个可选值一次",
        "in_force, pending and withdrawn together must list every allowed value exactly once",
    ),
    "release-index": (
        "发布记录格式不正确：{detail}",
        "the release records are malformed: {detail}",
        "releases/index.yaml 只由 python -m scripts release 写入，只增不改",
        "releases/index.yaml is written by python -m scripts release only, and never edited",
    ),
    "release-version": (
        "发布版本号不符合格式 YYYY.N",
        "the release version does not match YYYY.N",
        "版本号形如 2025.1 或 2025.1.1，加引号；发布记录只增不改",
        "a version looks like 2025.1 or 2025.1.1, quoted; release records are added, never edited",
    ),
    "release-date": (
        "发布日期不是带引号的 YYYY-MM-DD 日期",
        "the release date is not a quoted YYYY-MM-DD date",
        "写成 date: '2025-06-30'",
        "write date: '2025-06-30'",
    ),
    "metadata": ("数据集说明不符合要求：{detail}", "dataset metadata is invalid: {detail}", "参照 schemas/dataset.meta.schema.json", "see schemas/dataset.meta.schema.json"),
    "schema-outside": (
        "表结构必须是 schemas/ 目录中的文件（不能用绝对路径、../ 或链接）",
        "the schema must be a file inside schemas/ (no absolute path, no ../, no link)",
        "写成相对于 schemas/ 的路径，例如 products.schema.yaml",
        "give a path relative to schemas/, e.g. products.schema.yaml",
    ),
    "schema-invalid": (
        "表结构不符合要求：{detail}",
        "the table schema is invalid: {detail}",
        "参照 schemas/table.meta.schema.json 和其他表结构文件",
        "see schemas/table.meta.schema.json and the other table schemas",
    ),
    "meta-reference": (
        "这里写的字段在表结构中不存在",
        "this names a field the table schema does not have",
        "{suggest_zh}可用：{allowed}",
        "{suggest_en}available: {allowed}",
    ),
    "reserved-name": (
        "数据集名称与站点自身的页面或目录重名",
        "the dataset name is used by the site itself",
        "换一个名称；保留名称：{reserved}",
        "choose another name; reserved: {reserved}",
    ),
    "duplicate-dataset": (
        "数据集名称重复（另见 {other}），两个数据集都不会被发布",
        "duplicate dataset name (see also {other}); neither may be published",
        "每个数据集的 name 必须唯一",
        "every dataset needs a unique name",
    ),
    "missing-schema": ("找不到表结构文件 {schema}", "schema file {schema} not found", "检查 dataset.yaml 中的 schema", "check schema in dataset.yaml"),
    **IMPORT_MESSAGES,
    **INBOX_MESSAGES,
    **RELEASE_MESSAGES,
    **RULE_MESSAGES,
    **UNIT_MESSAGES,
}

TYPE_WORDS = {
    "integer": ("整数", "integer", "只写阿拉伯数字，不带单位、逗号或小数点", "digits only, no units, commas or decimal point"),
    "number": ("数字", "number", "只写数字，例如 0.9", "digits only, e.g. 0.9"),
    "date": ("日期", "date", "写成 YYYY-MM-DD，例如 2025-06-30", "write YYYY-MM-DD, e.g. 2025-06-30"),
    "boolean": ("是/否值", "boolean", "写 true 或 false", "write true or false"),
    "list": ("列表", "list", "多个值用英文分号 ; 分隔", "separate several values with ;"),
    "string": ("文本", "text", "", ""),
}
