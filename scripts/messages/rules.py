"""The messages of the programme rules (stages, tiers, awards, companies; issue 8), Chinese first and English after;
part of scripts/messages/__init__.py MESSAGES (same entry shape: code -> (zh, en, hint_zh, hint_en))."""

RULE_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "date-before-year": (
        "{title}比年度 {year} 早了不止一年",
        "{title_en} is more than a year before the year {year}",
        "核对日期（不早于 {first} 年）或年度是否写错",
        "check the date (not before {first}) or the year",
    ),
    "date-after-year": (
        "{title}晚于年度 {year} 太多",
        "{title_en} is too long after the year {year}",
        "核对日期（不晚于 {last} 年）或年度是否写错",
        "check the date (not after {last}) or the year",
    ),
    "required-at-stage": (
        "状态为“{stage}”时必须填写{title}",
        "{title_en} is required once the status is {stage}",
        "公示阶段可以留空；到了{stages}阶段要按正式文件填写",
        "it may stay empty at the public-notice stage; fill it in from the final notice at {stages}",
    ),
    "zero-at-stage": (
        "状态为“{stage}”时{title}不能为 0",
        "{title_en} cannot be 0 once the status is {stage}",
        "填写实际金额；尚未确定时状态应为公示或认定",
        "write the real amount; if it is not known yet the status is still 公示 or 认定",
    ),
    "target-dataset": (
        "目标指向的数据集不在本数据目录的名单中",
        "the target counts a dataset that is not a list of this data tree",
        "{suggest_zh}写名单的 name，可选：{allowed}；本项目暂无数据的目标留空",
        "{suggest_en}write the name of a list, one of: {allowed}; leave it empty when no list holds the data yet",
    ),
    "target-stages-missing": (
        "目标没有写明计入哪些阶段（{dataset} 有阶段字段）",
        "the target does not say which stages of {dataset} count",
        "在 stages 中写计入的阶段（用 ; 分隔），可选：{allowed}",
        "list the stages that count in stages (separated by ;), from: {allowed}",
    ),
    "target-stage": (
        "不是 {dataset} 的阶段",
        "is not a stage of {dataset}",
        "可选：{allowed}（见 {dataset} 的 dataset.yaml display.status）",
        "allowed: {allowed} (display.status in the dataset.yaml of {dataset})",
    ),
    "target-stage-twice": (
        "同一阶段已写在 {other} 中",
        "the same stage is already listed in {other}",
        "一个阶段要么计入（stages），要么在旁另列（pending_stages），不能两处都写",
        "a stage either counts (stages) or is shown beside (pending_stages), never both",
    ),
    "target-field": (
        "不是 {dataset} 的字段",
        "is not a field of {dataset}",
        "可选：{allowed}",
        "allowed: {allowed}",
    ),
    "target-value": (
        "不是 {dataset} 的 {where} 可取的值",
        "is not a value of {where} in {dataset}",
        "可选：{allowed}",
        "allowed: {allowed}",
    ),
    "target-scope": (
        "计数范围既不是 all，也不是地区名录中的地区",
        "the scope is neither all nor a district of the districts registry",
        "{suggest_zh}写 all（不限地点）或地区名录中地区的 slug，例如 jiaxing（只计位于嘉兴市的记录）；可选：{allowed}",
        "{suggest_en}write all (any place) or the slug of a district of the districts registry, e.g. jiaxing (only records located in Jiaxing); allowed: {allowed}",
    ),
    "tier-not-in-kind": (
        "“{kind}”名单没有这个档次",
        "the list kind {kind} has no such tier",
        "可选档次：{allowed}（见 data/registry/list-kinds/list-kinds.csv）",
        "tiers of this kind: {allowed} (see data/registry/list-kinds/list-kinds.csv)",
    ),
    "two-tiers": (
        "同一产品在同一年度的同一名单中出现在两个档次（另一处为“{other_tier}”，见 {other}）",
        "the same product is on the same list in the same year at two tiers (the other is {other_tier}, at {other})",
        "一个产品只有一个档次：保留正确的一行，另一行删除或改为撤销",
        "a product has one tier: keep the right row and delete the other or mark it 撤销",
    ),
    "listed-twice": (
        "同一产品在同一年度的同一名单中出现了两次（另见 {other}）",
        "the same product is on the same list twice in one year (also at {other})",
        "阶段变化只改“阶段”一格，不要新增一行；删除重复的一行",
        "a stage change edits the stage cell, it does not add a row: delete the duplicate",
    ),
    "other-company": (
        "指向的 {target} 记录属于另一家企业（{owner}），而本行是{company}",
        "points to a {target} record of another company ({owner}), but this row is {company}",
        "核对编号是否填错；奖励只能指向本企业的认定或产品",
        "check the id: an award can only point to the recipient's own recognition or product",
    ),
    "award-without-recognition": (
        "“{award_type}”奖励没有填写认定编号",
        "the {award_type} award has no recognition id",
        "在 recognition_id 中填写它所奖励的认定名单记录（R-…），以便核对档次并避免重复奖励",
        "fill in recognition_id with the recognition (R-…) it pays for, so tier and double awards can be checked",
    ),
    "awarded-twice": (
        "同一认定被奖励了两次（另见 {other}）",
        "the same recognition is awarded twice (also at {other})",
        "每项认定只奖励一次；删除重复的一行，或把其中一行改为撤销",
        "each recognition is awarded once: delete the duplicate or mark one row 撤销",
    ),
    "award-kind-mismatch": (
        "奖励类型与认定 {rid} 的名单类别“{kind}”不符",
        "the award type does not match the list kind {kind} of recognition {rid}",
        "这一奖励类型只奖励：{wanted}",
        "this award type pays only for: {wanted}",
    ),
    "award-tier-mismatch": (
        "奖励类型要求{wanted}档次，而认定 {rid} 的档次是“{tier}”",
        "the award type is for the {wanted} tier, but recognition {rid} is at tier {tier}",
        "按认定档次选择奖励类型；省内档次不在第 16 条奖励范围内",
        "choose the award type by the recognition's tier; the 省内 tier gets no measure-16 award",
    ),
    "award-withdrawn-recognition": (
        "所奖励的认定已{stage}",
        "the recognition this award pays for is {stage}",
        "奖励也应改为撤销，或核对认定编号",
        "mark the award 撤销 too, or check the recognition id",
    ),
    "company-unregistered": (
        "企业不在企业名录中",
        "the company is not in the companies registry",
        "{suggest_zh}在 data/registry/companies/companies.csv 中加一行（全称，代码未知可空），以后各名单都按它识别",
        "{suggest_en}add a row to data/registry/companies/companies.csv (full name; the code may stay empty) so every list resolves it",
    ),
    # --- names that cannot impersonate (scripts/model/names.py, scripts/validate/registry.py) ---
    "name-combining-mark": (
        "名称含有没有基字的组合符号 {chars}",
        "the name holds combining mark(s) {chars} with no base character they compose with",
        "删除这些符号，重新输入名称（名称中的组合符号可使两个名称看起来相同）",
        "delete the marks by retyping the name (combining marks let two names look the same)",
    ),
    "name-variant-char": (
        "名称含有部首或兼容汉字 {chars}（{shown}），看起来与通常的汉字相同",
        "the name holds radical or compatibility ideograph(s) {chars} ({shown}) that look like ordinary characters",
        "改为通常的汉字：“{suggestion}”；这类字符常见于从 PDF 复制的文字",
        'write the ordinary characters: "{suggestion}"; they often come from text copied out of PDFs',
    ),
    "company-name-duplicate": (
        "与 {other} 的“{other_name}”是同一个名称（忽略全角半角、括号、空格和大小写）",
        "the same name as {other_name} at {other} (ignoring width, brackets, spaces and case)",
        "两行是同一家企业：合并为一行，另一种写法放入 aliases",
        "both rows are one company: merge them into one row and keep the other spelling in aliases",
    ),
    "company-name-confusable": (
        "与 {other} 的“{other_name}”看起来相同（字符外形相近：{chars}）",
        "looks the same as {other_name} at {other} (look-alike characters: {chars})",
        "若是同一家企业，合并为一行；否则按营业执照重新输入名称，不要用外形相近的其他文字字符",
        "if it is the same company, merge the rows; otherwise retype the name from the business licence without "
        "look-alike characters of other scripts",
    ),
    "company-name-spelling": (
        "企业名称与企业名录的写法不同（全角半角、括号、空格或大小写）",
        "the company name is spelled differently from the companies registry (width, brackets, spaces or case)",
        "按企业名录写作“{registered}”",
        'write it as in the companies registry: "{registered}"',
    ),
    "credit-code-of-another-company": (
        "该统一社会信用代码属于企业名录中的“{owner}”（{owner_at}），不是“{name}”的",
        "the credit code belongs to {owner} in the companies registry ({owner_at}), not to {name}",
        "{fix_zh}",
        "{fix_en}",
    ),
    "company-code-mismatch": (
        "统一社会信用代码与企业名录中“{name}”的代码 {registered} 不一致",
        "the credit code differs from {registered}, the code of {name} in the companies registry",
        "核对营业执照；若名录有误，请改正 data/registry/companies/companies.csv",
        "check the business licence; if the registry is wrong, fix data/registry/companies/companies.csv",
    ),
}
