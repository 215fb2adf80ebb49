from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.cli import main

HEADER = "code,name,field,competent_level,processing_time,fees,components,capabilities"
ROWS = [
    ",".join(
        [
            "1.001612.000.00.00.H53,Đăng ký khai sinh,Hộ tịch,commune,1 working_days,,Tờ khai",
            "information; online_submission,000.00.01.H53,2023-01-01,",
        ]
    ),
    ",".join(
        [
            "2.000488.000.00.00.H53,Cấp giấy phép,Xây dựng,province,15 working_days",
            "Lệ phí=50000,Đơn",
            "information; online_submission; online_processing; online_payment; postal_result",
            "000.00.00.H53,2023-01-01,",
        ]
    ),
]
CSV = "\n".join([HEADER + ",agencies,valid_from,valid_to", *ROWS]) + "\n"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_levels_json(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["services", "levels", str(catalogue), "--on", "2025-01-01", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["scheme"] == "nd42-2022"
    assert [p["muc_do"] for p in out["procedures"]] == [3, 4]
    assert [s["group"] for s in out["summary"]] == ["commune", "province"]


def test_levels_text_under_decree_43(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["services", "levels", str(catalogue), "--on", "2025-01-01", "--scheme", "nd43-2011"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Mức độ 1" in out  # no downloadable forms: level 1 only
    assert "would also need downloadable_forms" in out


def test_bad_catalogue_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,name,competent_level,valid_from\nnope,A,commune,2024-01-01\n", "utf-8")
    assert main(["services", "levels", str(path)]) == 1
    assert "line 2: code" in capsys.readouterr().err


def test_bad_date_exits_2(catalogue: Path) -> None:
    assert main(["services", "levels", str(catalogue), "--on", "soon"]) == 2
