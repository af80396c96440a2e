"""The tokenizer every Japanese feature shares (sheets/japanese.py)."""

import threading

from sheets.japanese import morphemes


def test_words_come_with_reading_and_normalised_form():
    words = morphemes("部品の袋詰め")
    assert [w.surface for w in words] == ["部品", "の", "袋詰め"]
    assert words[2].reading == "フクロヅメ"
    assert words[0].part_of_speech == "名詞"


def test_spelling_variants_share_a_normalised_form():
    assert morphemes("ﾈｷﾞ")[0].normalized == morphemes("葱")[0].normalized
    assert morphemes("そうじ")[0].normalized == "掃除"


def test_empty_text_has_no_words():
    assert morphemes("") == []


def test_each_thread_reads_with_its_own_tokenizer():
    results = []
    threads = [threading.Thread(target=lambda: results.append(morphemes("検品")[0].reading)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ケンピン"] * 4


def test_an_addressee_gets_one_honorific():
    from sheets.japanese import with_honorific

    assert with_honorific("岡本") == "岡本 様"
    assert with_honorific("事務局 岡本様") == "事務局 岡本様"
    assert with_honorific("総務課 御中") == "総務課 御中"
