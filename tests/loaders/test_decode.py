"""decode_bytes: BOM, strict UTF-8, the declared charset widened to GB18030, then detection."""

from __future__ import annotations

import codecs

import pytest

from auditor.errors import DocumentLoadError
from auditor.loaders.decode import decode_bytes, looks_binary

TEXT = "一、2023年推进法治政府建设的主要举措和成效\n（一）深入推进依法行政，加快建设法治政府。朱镕基"
TRAD = "一、2023年推進法治政府建設的主要舉措和成效\n（一）深入推進依法行政，加快建設法治政府。"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT[:20].encode("gbk"), "gb18030"),  # short GBK: default detection would say cp949
])
def test_decodes(data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data)
    assert enc == encoding
    assert text.replace("\r\n", "\n") == TEXT[: len(text.replace("\r\n", "\n"))]


def test_big5() -> None:
    text, enc = decode_bytes(TRAD.encode("big5"))
    assert (text, enc) == (TRAD, "big5")


def test_declared_gb2312_is_widened() -> None:
    # 镕 is GBK but not GB2312: a page labelled gb2312 must still decode.
    text, enc = decode_bytes("朱镕基同志".encode("gbk"), declared="gb2312")
    assert (text, enc) == ("朱镕基同志", "gb18030")


def test_binary_rejected() -> None:
    assert looks_binary(b"\x00\x01\x02abc")
    with pytest.raises(DocumentLoadError, match="二进制"):
        decode_bytes(b"PK\x03\x04\x00\x00garbage")


def test_bad_bom() -> None:
    with pytest.raises(DocumentLoadError, match="字节序标记"):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfd")


def test_a_few_broken_bytes_are_replaced_not_fatal() -> None:
    from auditor.loaders.decode import decode_bytes

    good = "一、主要举措和成效\n开展普法活动12场。\n".encode() * 20
    text, encoding = decode_bytes(good[:50] + b"\xff" + good[50:])
    assert "\ufffd" in text and encoding.startswith("utf-8") and "处无法解码" in encoding
