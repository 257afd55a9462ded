"""core.readers reads a sealed upload (core.sealed_files) as it reads the plaintext file, from
memory or a stream, and refuses one that was changed, at its start or further in."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from chengxin.core import readers, sealed_files
from chengxin.core.readers import UnreadableFile, open_table

ROWS = [["名称", "证件号码"], *[[f"王{n}", f"37040519900101{n:04d}"] for n in range(2000)]]


def write_csv(path: Path, encoding: str) -> Path:
    path.write_bytes("\r\n".join(",".join(row) for row in ROWS).encode(encoding) + b"\r\n")
    return path


def write_xlsx(path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for number, row in enumerate(ROWS):
        for column, value in enumerate(row):
            sheet.write_string(number, column, value)
    workbook.close()
    return path


def table_of(path: Path) -> tuple[list[str], list[list[str]], str]:
    table = open_table(path)
    return table.header, [[str(c) for c in cells] for _n, cells in table.rows], table.encoding


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed_files, "SEGMENT_SIZE", 256)  # a CSV row crosses segments


@pytest.mark.parametrize("kind", ["utf-8", "gb18030", "xlsx"])
def test_a_sealed_upload_reads_as_the_plaintext_file(
    small_segments, settings, tmp_path, kind
) -> None:
    plain = write_xlsx(tmp_path / "a.xlsx") if kind == "xlsx" else write_csv(tmp_path / "a", kind)
    sealed = tmp_path / "b.upload"
    sealed_files.write_sealed(sealed, plain.read_bytes())
    assert b"370405" not in sealed.read_bytes()
    assert table_of(sealed) == table_of(plain)
    assert table_of(sealed)[1][-1] == ROWS[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [plain.name, sealed.name]  # no copy


def test_an_upload_changed_further_in_fails_while_it_is_read(
    small_segments, settings, tmp_path, caplog, monkeypatch
) -> None:
    monkeypatch.setattr(readers, "SNIFF_BYTES", 512)
    sealed = tmp_path / "b.upload"
    sealed_files.write_sealed(sealed, write_csv(tmp_path / "a", "utf-8").read_bytes())
    raw = bytearray(sealed.read_bytes())
    raw[sealed_files.HEADER_SIZE + 100 * (256 + sealed_files.TAG_SIZE) + 9] ^= 0x01
    sealed.write_bytes(bytes(raw))
    table = open_table(sealed)  # the start opens
    assert table.header == ROWS[0]
    with pytest.raises(UnreadableFile, match="上传的文件已损坏或被改动"):
        list(table.rows)
    assert "sealed upload b.upload refused" in caplog.text and "370405" not in caplog.text


def test_an_upload_under_another_key_is_unreadable(settings, tmp_path) -> None:
    sealed = tmp_path / "b.upload"
    sealed_files.write_sealed_with("another-key-0123456789abcdef", sealed, b"a,b\n1,2\n")
    with pytest.raises(UnreadableFile, match="上传的文件已损坏或被改动"):
        open_table(sealed)
