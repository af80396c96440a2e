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


def _read(text: str) -> list[tuple[str, str]]:
    return [(w.surface, w.reading) for w in morphemes(text)]


def test_a_word_on_its_own_keeps_its_first_sound_and_a_compound_its_rendaku():
    # The tokenizer read 箱 alone as バコ (its compound reading): ② printed 箱(ばこ)を組み立てます.
    assert _read("箱を組み立てます")[0] == ("箱", "ハコ")
    assert ("箱", "ハコ") in _read("お菓子の箱に入れます")
    assert _read("弁当箱を洗う")[0] == ("弁当箱", "ベントウバコ")
    assert _read("菓子箱")[-1] == ("箱", "バコ")  # after a noun: the second half of a compound
    assert _read("集まる場所")[-1] == ("場所", "バショ")  # バショ is the word's own reading, not rendaku


def test_pieces_that_together_are_one_noun_of_the_dictionary_read_as_that_noun():
    # 焼き + 菓子 read ヤキ + カシ: a search for やきがし found nothing.
    assert _read("焼き菓子の箱詰め")[0] == ("焼き菓子", "ヤキガシ")
    assert [w.part_of_speech for w in morphemes("焼き菓子")] == ["名詞"]
    assert _read("部品の袋詰め体験") == [
        ("部品", "ブヒン"),
        ("の", "ノ"),
        ("袋詰め", "フクロヅメ"),
        ("体験", "タイケン"),
    ]
