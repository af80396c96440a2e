import pytest

from sheets.textsearch import bigrams, keywords, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｹﾝﾋﾟﾝ", "けんぴん"),
        ("けんぴん", "けんぴん"),
        ("ケンピン", "けんぴん"),
        ("検品", "検品"),
        ("１２３ＡＢＣ", "123abc"),
        ("ＰＣ入力", "pc入力"),
        ("袋詰め　作業", "袋詰め 作業"),  # full-width space
        ("  ねぎ\t出荷  ", "ねぎ 出荷"),
        ("ヴァイオリン", "ゔぁいおりん"),
        ("㈱みどり紙工", "(株)みどり紙工"),
        ("", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_stored_text_and_query_meet_in_the_middle():
    stored = normalise("部品のケンピン作業（ﾀﾞﾝﾎﾞｰﾙ）")
    assert all(word in stored for word in keywords("けんぴん　ダンボール"))


def test_keywords_split_on_any_space():
    assert keywords("検品　清掃 ｹﾝﾋﾟﾝ") == ["検品", "清掃", "けんぴん"]
    assert keywords("   ") == []


def test_bigrams_of_words():
    assert bigrams("検品 ｹﾝﾋﾟﾝ") == sorted({"検品", "けん", "んぴ", "ぴん"})
    assert bigrams("袋") == []
    # A keyword's bigrams are a subset of the bigrams of any text that contains it.
    assert set(bigrams("袋詰め")) <= set(bigrams("部品の袋詰めと検品"))
