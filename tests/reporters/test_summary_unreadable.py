"""The list of unreadable files in a batch summary: the file name stays whole beside a long
Chinese reason, and no character of the reason is lost (a column sized by min_width made rich
crop the ends of the reason's lines)."""

from __future__ import annotations

import io

import pytest

from auditor.reporters.linebreak import cells
from auditor.reporters.summary import make_console, summary_table
from auditor.run.engine import error_card

REASON = ("这是向人民代表大会所作的政府工作报告，不是法治政府建设报告（第1行：政府工作报告）；"
          "如确为报告，可用 --pack 指定")


def _split(line: str, col: int) -> tuple[str, str]:
    """The line cut at display column `col`."""
    acc = 0
    for i, ch in enumerate(line):
        if acc >= col:
            return line[:i], line[i:]
        acc += cells(ch)
    return line, ""


class _Ctx:
    color = False

    def __init__(self, width: int) -> None:
        self.width = width


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("path", ["fixtures/kinds/government_work_report.txt",  # 41 cells
                                  "报告/2023/某某县某某镇人民政府法治报告.txt"])
def test_name_whole_and_reason_complete(width: int, path: str) -> None:
    out = io.StringIO()
    console = make_console(out, _Ctx(width))
    console.print(summary_table([error_card(path, REASON)], None, width=console.width))
    lines = out.getvalue().splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("文件"))
    col = cells(lines[head][:lines[head].index("原因")])
    rows = [line for line in lines[head + 2:] if line.strip()][:-2]  # without the totals and the legend
    assert any(path in line for line in rows), f"{path} broken at width {width}"
    reason = "".join(_split(line, col)[1].strip() for line in rows)
    assert reason.replace(" ", "") == REASON.replace(" ", "")
    assert max(cells(line) for line in lines) <= width


def test_reports_of_doubtful_type_are_listed_apart(packs: object) -> None:
    """A supervisor sees first which audited pages' type to confirm (类型把握 低), with the doubts."""
    from auditor.run.engine import audit_file

    from conftest import FIXTURES

    low = audit_file(str(FIXTURES / "forms" / "no_title_parts_only.txt"), packs)  # type: ignore[arg-type]
    high = audit_file(str(FIXTURES / "forms" / "title_joint_issuers.txt"), packs)  # type: ignore[arg-type]
    out = io.StringIO()
    console = make_console(out, _Ctx(200))
    console.print(summary_table([low, high], None, width=console.width))
    text = out.getvalue()
    part = text[text.index("报告类型把握不大"):]
    assert low.path in part and high.path not in part
    assert "标题或开头未写明报告类型；开头未陈述本单位一年来的工作" in part
