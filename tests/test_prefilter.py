"""The first pass (forcewatch/extract/prefilter.py): one scan, the same answer as the word
patterns searched with Python's re, and the windows the first reading parses."""

from __future__ import annotations

from forcewatch.extract.prefilter import _HARM, _POLICE, prefilter, screen_text

LEDE = "Residents of Marrowby gathered on Voss Road on Sunday."
REPORT = (
    f"{LEDE} The weather was mild.\n\n"
    "A man died after he was restrained by officers outside a shop. Witnesses filmed the arrest.\n\n"
    "The council said the market would reopen on Tuesday. Stalls sold flowers.\n\n"
    "Northshire Police were called to the market. A woman was taken to hospital.\n\n"
    "A boy was hurt in a fall. Officers said the path would be closed."
)


def test_prefilter_agrees_with_the_word_patterns():
    texts = [
        REPORT,
        "The Gardaí said a man was injured on the café’s terrace.",
        "Officers patrolled the fête. Nobody was hurt.",
        "A deputy sheriff's car was parked outside.",
        "The flower show opened on Saturday.",
        "He was tasered.",
    ]
    for text in texts:
        assert prefilter(text) == (bool(_POLICE.search(text)) and bool(_HARM.search(text))), text


def test_windows_are_lede_candidates_and_neighbours():
    first = screen_text(REPORT)
    assert first.passed
    lines = first.windows.split("\n")
    assert lines[0] == LEDE  # the lede's first sentence
    assert "A man died after he was restrained by officers outside a shop." in lines  # both kinds in one
    # a harm word after a police word (the reader takes a pronoun's antecedent from the sentence before)
    assert "A woman was taken to hospital." in lines and "Northshire Police were called to the market." in lines
    # a police word only after the harm word cannot change the harm's roles: neither is read
    assert not any("A boy" in line or "Officers said" in line for line in lines)
    assert not any("flowers" in line or "weather" in line or "Witnesses" in line for line in lines)
    assert first.event_sentences == 3


def test_no_sentence_that_can_hold_the_event_gives_no_windows():
    """Police and harm words far apart: no event can weigh more than the article's setting gives it,
    so the first reading has nothing to parse (its title alone is weighed)."""
    text = "Officers attended a fete in Ashby. It rained. Stalls closed early. Later a man fell ill and died at home."
    first = screen_text(text)
    assert first.passed
    assert first.windows == "" and first.event_sentences == 0


def test_boilerplate_words_do_not_pass_an_article():
    helpline = (
        "The library in Pellow reopens on Monday.\n\n"
        "If you are struggling, police and Samaritans advise calling the suicide helpline on 116 123."
    )
    assert prefilter(helpline)  # the raw words are there...
    assert not screen_text(helpline).passed  # ...but only in a helpline paragraph, masked as boilerplate
    assert not screen_text("Police closed the road for the parade.").passed


def test_non_ascii_text_keeps_sentences_whole():
    text = "“It was awful,” said Brackley’s mayor. A man was shot by police near the café — witnesses said."
    first = screen_text(text)
    assert "A man was shot by police near the café — witnesses said." in first.windows.split("\n")


def test_windows_hold_every_sentence_an_event_can_weigh_as_a_report_in():
    """Contact, custody and pursuit words anchor a harm word like police words do, and force that
    weighs with no agent named (restraint, a bite, spray) is a window on its own; the article's
    oversight and setting words are noted for the bound of the first reading."""
    text = (
        "Crowds gathered in Marrowby for the fair on Saturday. The weather was mild.\n\n"
        "A man was pinned to the ground outside a shop. Stalls sold flowers.\n\n"
        "He had been arrested minutes earlier. He later died.\n\n"
        "A woman was hurt in a fall. Police said the fair would go on.\n\n"
        "The watchdog has been told. Nobody else was hurt."
    )
    first = screen_text(text)
    lines = first.windows.split("\n")
    assert "A man was pinned to the ground outside a shop." in lines  # force with no harm or police word
    assert "He later died." in lines and "He had been arrested minutes earlier." in lines  # a contact anchor
    assert "A woman was hurt in a fall." not in lines  # the police word comes after it
    assert not any("flowers" in line or "Nobody" in line or "watchdog" in line for line in lines)
    assert first.oversight and not first.setting
    chased = screen_text("Officers chased a car through Ashby. The driver was hurt.")
    assert chased.setting and not chased.oversight
