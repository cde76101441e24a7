"""What a list's title lines say, read strictly: which line is the title, its year and its batch.

A title names its list (名单, 清单, 目录, 名录, 公示) or its year (“2021年度…”, “2021年浙江省…”): such a line above
the header is the title, never a group row, even when it also names a tier or kind. The year and the batch the title
prints are checked against --year / --batch (a list imported into the wrong year is refused, never written).
A text PDF may split a title whose digits are set in another font (“2025” and the quotes on their own line): the
two lines are joined back before anything reads them.
"""

from __future__ import annotations

import re

from .values import BATCH, chinese_number

_ATTACHMENT = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?$")
_LISTISH = re.compile(r"名单|清单|目录|名录|公示|项目")
_YEAR = r"((?:19|20)[0-9]{2})"
# “2021年度” anywhere; “2021年…” at the start of the title (after 关于/公布/印发 …), never a date (2021年11月)
_YEAR_ANYWHERE = re.compile(rf"(?<![0-9]){_YEAR}\s*年度")
_YEAR_AT_START = re.compile(rf"^\s*(?:关于)?(?:公布|公示|印发|下达|发布|撤销|认定|确定|命名)?\s*{_YEAR}\s*年(?!\s*[0-9]{{1,2}}\s*月)")
_TITLE_LIKE = re.compile(rf"名单|清单|目录|名录|公示|(?<![0-9]){_YEAR}\s*年")
_YEAR_ONLY = re.compile(rf"^\s*{_YEAR}((?:\s*[“”\"'‘’「」『』《》（）()])*)\s*$")


def is_title(text: str) -> bool:
    """A line that reads as a list's title (it names a list, or a year): never taken for a group row."""
    return bool(_TITLE_LIKE.search(text))


def pick_title(titles: list[str]) -> str:
    """The list's title among the lines above the header: not "附件1", preferably one that says 名单/清单/目录."""
    lines = [t for t in titles if not _ATTACHMENT.match(t)] or titles
    return next((t for t in lines if _LISTISH.search(t)), max(lines, key=len))


def rejoin_year(lines: list[str]) -> list[str]:
    """Title lines as printed: a line that is only a year (with the quotes set in the same font) beside a line that
    starts with 年度/年 is put back in front of it; the quotes go back into the spaces they left, in order, when
    their numbers match (“2025 “ ”” + “年度嘉兴市 三新 奖励…” → “2025年度嘉兴市“三新”奖励…”)."""
    out = list(lines)
    for i, line in enumerate(out):
        m = _YEAR_ONLY.match(line or "")
        if not m:
            continue
        for j in (i + 1, i - 1):
            if 0 <= j < len(out) and out[j] and re.match(r"^\s*年", out[j]) and not _YEAR_ONLY.match(out[j]):
                marks = re.sub(r"\s+", "", m.group(2))
                body = out[j].strip()
                if marks and body.count(" ") == len(marks):
                    for mark in marks:
                        body = body.replace(" ", mark, 1)
                out[j] = m.group(1) + body
                out[i] = ""
                break
    return [line for line in out if line]


def title_year(titles: list[str], year: int) -> tuple[int, str] | None:
    """(year in the title, the title) when a title line names a list year (“2021年度…”, “2021年浙江省…”) other
    than `year`."""
    for title in titles:
        found = {int(m.group(1)) for m in _YEAR_ANYWHERE.finditer(title)}
        if m := _YEAR_AT_START.match(title):
            found.add(int(m.group(1)))
        if found and year not in found:
            return min(found), title
    return None


def title_batch(titles: list[str], batch) -> tuple[int, str] | None:
    """(batch in the title, the title) when a title line names a batch (第三批) other than `batch`."""
    if batch is None or not str(batch).strip().isdigit():
        return None
    for title in titles:
        found = {n for m in BATCH.finditer(title) if (n := chinese_number(m.group(1)))}
        if found and int(batch) not in found:
            return min(found), title
    return None
