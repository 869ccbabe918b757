"""The audit on small corpora in the seeds' style: a parent plan, sub-plans that cite it right, and sub-plans
that cite it wrong in each way an auditor looks for. Each corpus goes through the real pipeline; every
check must fire where the citation is wrong and stay silent where it is right."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.audit import EDGE_COLUMNS, FINDING_COLUMNS, audit, summary_markdown

PARENT = """TỈNH ỦY LAI CHÂU
*
Số 173-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Lai Châu, ngày 26 tháng 8 năm 2024

KẾ HOẠCH
tuyên truyền Đại hội Đảng bộ các cấp

Thực hiện Chỉ thị số 35-CT/TW, ngày 14/6/2024 của Bộ Chính trị về đại hội đảng bộ các cấp, Ban Thường vụ Tỉnh ủy \
ban hành Kế hoạch tuyên truyền như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Tuyên truyền sâu rộng về đại hội.
II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Tỉnh ủy chủ trì, hướng dẫn.

Nơi nhận:
- Các huyện ủy, thành ủy,
- Lưu Văn phòng Tỉnh ủy.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ

Nguyễn Văn An
"""


def sub_plan(number: int, day: str, basis: str, province: str = "LAI CHÂU") -> str:
    """A union's sub-plan, numbered ``number``/KH-LĐLĐ, dated ``day`` of 2024, resting on ``basis``."""
    place = province.title()
    return f"""LIÊN ĐOÀN LAO ĐỘNG TỈNH {province}
Số: {number}/KH-LĐLĐ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
{place}, ngày {day} năm 2024

KẾ HOẠCH
Tuyên truyền Đại hội Đảng bộ các cấp trong công nhân, viên chức, lao động

{basis}, Ban Thường vụ Liên đoàn Lao động tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Tuyên truyền đến đoàn viên công đoàn.
II. TỔ CHỨC THỰC HIỆN
1. Các công đoàn cơ sở tổ chức thực hiện.

Nơi nhận:
- Tỉnh ủy;
- Lưu VT.
TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Trần Thị Bình
"""


ABOUT = "về tuyên truyền Đại hội Đảng bộ các cấp"
RIGHT = f"Thực hiện Kế hoạch số 173-KH/TU, ngày 26/8/2024 của Ban Thường vụ Tỉnh ủy {ABOUT}"

CORPUS = {
    "parent": PARENT,
    "right": sub_plan(21, "5 tháng 9", RIGHT),
    "wrong_date": sub_plan(22, "5 tháng 9", RIGHT.replace("26/8/2024", "25/8/2024")),
    "wrong_issuer": sub_plan(23, "5 tháng 9", RIGHT.replace("Ban Thường vụ Tỉnh ủy", "Ủy ban nhân dân tỉnh")),
    "wrong_type": sub_plan(24, "5 tháng 9", RIGHT.replace("Kế hoạch số", "Chỉ thị số")),
    "wrong_style": sub_plan(25, "5 tháng 9", RIGHT.replace("173-KH/TU", "173/KH-TU")),
    "too_early": sub_plan(26, "20 tháng 8", RIGHT),
    "wrong_number": sub_plan(27, "5 tháng 9", RIGHT.replace("173-KH/TU", "137-KH/TU")),
    # a parent of another date that the corpus does not hold
    "missing_parent": sub_plan(
        28, "5 tháng 9", RIGHT.replace("173-KH/TU, ngày 26/8/2024", "999-KH/TU, ngày 02/8/2024")
    ),
    # another year's 173-KH/TU, and another province's: not this parent
    "other_year": sub_plan(31, "5 tháng 9", RIGHT.replace("26/8/2024", "26/8/2023")),
    "other_province": sub_plan(32, "5 tháng 9", RIGHT, province="YÊN BÁI"),
    # two plans that each claim to implement the other
    "cycle_a": sub_plan(
        29, "5 tháng 9", f"Thực hiện Kế hoạch số 30/KH-LĐLĐ, ngày 05/9/2024 của Ban Thường vụ LĐLĐ tỉnh {ABOUT}"
    ),
    "cycle_b": sub_plan(
        30, "5 tháng 9", f"Thực hiện Kế hoạch số 29/KH-LĐLĐ, ngày 05/9/2024 của Ban Thường vụ LĐLĐ tỉnh {ABOUT}"
    ),
}

EXPECTED = {
    ("parent", "parent_not_in_corpus"),  # Chỉ thị 35-CT/TW
    ("wrong_date", "date_differs"),
    ("wrong_issuer", "issuer_differs"),
    ("wrong_type", "type_differs"),
    ("wrong_style", "number_written_differently"),
    ("too_early", "dated_before_parent"),
    ("wrong_number", "number_differs"),
    ("missing_parent", "parent_not_in_corpus"),
    ("other_year", "parent_not_in_corpus"),
    ("other_province", "parent_not_in_corpus"),
    ("cycle_a", "cycle"),
    ("cycle_b", "cycle"),
}


def write_corpus(folder: Path, corpus: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in corpus.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = write_corpus(tmp_path_factory.mktemp("corpus"), CORPUS)
    frames = pipeline.extract(folder, jobs=1)
    assert frames["errors"].empty
    return frames


@pytest.fixture(scope="module")
def results(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return audit(tables)


def test_every_check_fires_where_the_citation_is_wrong_and_nowhere_else(results):
    findings = results["audit_findings"]
    assert list(findings.columns) == FINDING_COLUMNS
    assert set(zip(findings["doc_id"], findings["check"], strict=True)) == EXPECTED
    assert len(findings) == len(EXPECTED)  # one finding per problem, not one per way of seeing it
    assert "right" not in set(findings["doc_id"])


def test_findings_carry_both_values(results):
    f = results["audit_findings"].set_index(["doc_id", "check"])
    assert tuple(f.loc[("wrong_date", "date_differs"), ["cited_value", "parent_value"]]) == (
        "2024-08-25",
        "2024-08-26",
    )
    assert tuple(f.loc[("wrong_style", "number_written_differently"), ["cited_value", "parent_value"]]) == (
        "173/KH-TU",
        "173-KH/TU",
    )
    assert tuple(f.loc[("wrong_number", "number_differs"), ["cited_value", "parent_value"]]) == (
        "137-KH/TU",
        "173-KH/TU",
    )
    assert tuple(f.loc[("too_early", "dated_before_parent"), ["cited_value", "parent_value"]]) == (
        "2024-08-20",
        "2024-08-26",
    )
    issuer = f.loc[("wrong_issuer", "issuer_differs")]
    assert (issuer["cited_value"], issuer["parent_value"]) == ("Ủy ban nhân dân tỉnh Lai Châu", "Tỉnh ủy Lai Châu")
    assert tuple(f.loc[("wrong_type", "type_differs"), ["cited_value", "parent_value"]]) == ("Chỉ thị", "Kế hoạch")
    assert f.loc[("cycle_a", "cycle"), "message"].endswith("cycle_a → cycle_b → cycle_a")
    severities = dict(zip(results["audit_findings"]["check"], results["audit_findings"]["severity"], strict=True))
    assert severities["parent_not_in_corpus"] == "info" and severities["date_differs"] == "error"


def test_findings_point_at_the_mention(results, tables):
    f = results["audit_findings"].set_index(["doc_id", "check"]).loc[("wrong_date", "date_differs")]
    text = (
        tables["documents"].set_index("doc_id").loc["wrong_date", "text_path"]
    )  # relative path; the span is checked against the citations table instead
    assert text.endswith("wrong_date.txt")
    row = tables["citations"].query("doc_id == 'wrong_date'").iloc[0]
    assert (f["char_start"], f["char_end"]) == (row["char_start"], row["char_end"])


def test_edges_resolve_by_number_year_and_province(results):
    edges = results["edges"].set_index("doc_id")
    assert list(results["edges"].columns) == EDGE_COLUMNS
    for doc in ("right", "wrong_date", "wrong_issuer", "wrong_type", "wrong_style", "too_early"):
        assert (edges.loc[doc, "target_doc_id"], edges.loc[doc, "resolved_by"]) == ("parent", "number"), doc
    assert (edges.loc["wrong_number", "target_doc_id"], edges.loc["wrong_number", "resolved_by"]) == (
        "parent",
        "date+issuer",
    )
    for doc in ("missing_parent", "other_year", "other_province"):
        assert edges.loc[doc, "target_doc_id"] == "", doc
    assert edges.loc["cycle_a", "target_doc_id"] == "cycle_b"
    assert set(edges["relation"]) == {"basis"}


def test_a_phase_outside_the_parents_window(tables):
    phases = pd.DataFrame(
        [
            {
                "doc_id": "parent",
                "phase_no": 1,
                "parent_phase": "",
                "label": "Đợt 1",
                "start_date": "2024-09-01",
                "end_date": "2024-12-31",
            },
            {
                "doc_id": "parent",
                "phase_no": 2,
                "parent_phase": "",
                "label": "Đợt 2",
                "start_date": "2025-01-01",
                "end_date": "2025-06-30",
            },
            {
                "doc_id": "right",
                "phase_no": 1,
                "parent_phase": "",
                "label": "1",
                "start_date": "2024-09-10",
                "end_date": "2025-03-31",
            },
            # a sub-phase is judged with its phase, not on its own
            {
                "doc_id": "right",
                "phase_no": 2,
                "parent_phase": "1",
                "label": "1.1",
                "start_date": "2024-08-01",
                "end_date": "2024-08-31",
            },
            {
                "doc_id": "wrong_date",
                "phase_no": 1,
                "parent_phase": "",
                "label": "Đợt 1",
                "start_date": "2024-09-10",
                "end_date": "2025-12-31",
            },
        ]
    )
    findings = audit({**tables, "phases": phases})["audit_findings"]
    outside = findings[findings["check"] == "phase_outside_parent"]
    assert list(outside["doc_id"]) == ["wrong_date"]
    assert tuple(outside.iloc[0][["cited_value", "parent_value"]]) == (
        "Đợt 1: 2024-09-10 – 2025-12-31",
        "2024-09-01 – 2025-06-30",
    )


def test_no_phases_no_phase_findings(tables):
    findings = audit(
        {**tables, "phases": pd.DataFrame(columns=["doc_id", "parent_phase", "start_date", "end_date"])}
    )
    assert "phase_outside_parent" not in set(findings["audit_findings"]["check"])


def test_a_number_held_by_two_documents_is_not_guessed(tmp_path):
    corpus = {"parent": PARENT, "parent_copy": PARENT, "right": CORPUS["right"]}
    frames = pipeline.extract(write_corpus(tmp_path, corpus), jobs=1)
    findings = audit(frames)["audit_findings"]
    ambiguous = findings[findings["doc_id"] == "right"]
    assert list(ambiguous["check"]) == ["ambiguous_parent"]
    assert "parent" in ambiguous.iloc[0]["message"] and "parent_copy" in ambiguous.iloc[0]["message"]


def test_summary_markdown(results):
    md = summary_markdown(results)
    assert md.startswith("# Citation audit")
    assert "| error | date_differs | 1 |" in md
    assert "| info | parent_not_in_corpus | 4 |" in md
    assert md.index("| error |") < md.index("| info |")
    empty = {"edges": pd.DataFrame(columns=EDGE_COLUMNS), "audit_findings": pd.DataFrame(columns=FINDING_COLUMNS)}
    assert "No findings." in summary_markdown(empty)


def test_audit_of_an_empty_run():
    out = audit({"documents": pd.DataFrame(), "citations": pd.DataFrame()})
    assert out["edges"].empty and out["audit_findings"].empty
    assert list(out["audit_findings"].columns) == FINDING_COLUMNS


def ubnd_plan(province: str) -> str:
    return f"""ỦY BAN NHÂN DÂN
TỈNH {province.upper()}
Số: 12/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
{province}, ngày 10 tháng 01 năm 2024

KẾ HOẠCH
Cải cách hành chính năm 2024

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng cải cách hành chính.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì.

Nơi nhận:
- Bộ Nội vụ;
- Lưu VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Văn Cường
"""


def test_one_number_in_two_provinces_resolves_to_the_citing_plans_own(tmp_path):
    corpus = {
        "lai_chau": ubnd_plan("Lai Châu"),
        "yen_bai": ubnd_plan("Yên Bái"),
        # the number alone: its issuer comes from the code (UBND), and the province from the citing plan
        "sub": sub_plan(
            40, "5 tháng 2", "Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2024 về cải cách hành chính"
        ),
    }
    results = audit(pipeline.extract(write_corpus(tmp_path, corpus), jobs=1))
    edges = results["edges"].set_index("doc_id")
    assert (edges.loc["sub", "target_doc_id"], edges.loc["sub", "resolved_by"]) == ("lai_chau", "number")
    assert set(results["audit_findings"].query("doc_id == 'sub'")["check"]) == set()


def test_cell_text_reads_strings_as_the_pandas_path_does():
    """cell_text skips pandas' missing-value test for strings (the audit reads thousands of cells): a
    string's reading is the same as through that test, missing spellings included."""
    import pandas as pd

    from pipeline.cells import _MISSING, cell_text

    for value in ["  x ", "nan", " None ", "", "<NA>", "NaT", "a\n", "NA", "0", "Kế hoạch 173-KH/TU"]:
        plain = "" if pd.isna(value) else str(value).strip()
        assert cell_text(value) == ("" if plain in _MISSING else plain)
    assert [cell_text(v) for v in (None, pd.NA, float("nan"), 3)] == ["", "", "", "3"]
