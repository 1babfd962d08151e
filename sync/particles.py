"""Korean particles chosen from the word they follow, as a person writes them.

A template writes both forms in brackets after a word, ``“{lever}”[이/가]``;
``resolve`` keeps the one the last syllable asks for: 이 after a final
consonant (받침), 가 after a vowel; 으로 after a consonant other than ㄹ. The
word is read back past closing quotes, and past a parenthetical aside, which
Korean skips: ``실험 E3(“가설”)[이/가]`` reads E3. Digits are read as Korean
numbers (3 삼 has one, 2 이 has none); Latin letters as they are usually said.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"\[(이|은|을|과|으로|이나|이라|아|이여)/(가|는|를|와|로|나|라|야|여)\]")
_CLOSERS = "”’\"'」』》〉]"
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # ㄹ as a final consonant, (code - 0xAC00) % 28
_DIGIT_FINAL = {"0": True, "1": True, "3": True, "6": True, "7": True, "8": True}
_LATIN_FINAL = set("lmn")  # as said: "Kim" 킴, "Q1 team" 팀, "L" 엘; "Lee" 리, "Park" 파크
_LATIN_RIEUL = set("l")


def final(word: str) -> tuple[bool, bool]:
    """(has a final consonant, that consonant is ㄹ) for the last character of ``word``."""
    ch = word[-1:] or " "
    code = ord(ch)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        jong = (code - _HANGUL_FIRST) % 28
        return jong != 0, jong == _RIEUL
    if ch.isdigit():
        return _DIGIT_FINAL.get(ch, False), ch in "178"
    low = ch.lower()
    return low in _LATIN_FINAL, low in _LATIN_RIEUL


def attach(word: str, particle: str) -> str:
    """``word`` followed by the right form of ``particle``, given as "이/가", "을/를", ..."""
    return resolve(f"{word}[{particle}]")


def _word_before(text: str, end: int) -> str:
    """The text a particle at ``end`` attaches to: closing quotes and an aside skipped."""
    i = end
    while i > 0:
        ch = text[i - 1]
        if ch in _CLOSERS or ch.isspace():
            i -= 1
        elif ch == ")":
            depth, i = 1, i - 1
            while i > 0 and depth:
                i -= 1
                depth += {")": 1, "(": -1}.get(text[i], 0)
        else:
            break
    return text[:i]


def resolve(text: str) -> str:
    """Every ``[A/B]`` marker replaced by the form its preceding word takes."""

    def choose(match: re.Match[str]) -> str:
        consonant, rieul = final(_word_before(match.string, match.start()))
        with_final, without = match.group(1), match.group(2)
        if with_final == "으로":
            return "으로" if consonant and not rieul else "로"
        return with_final if consonant else without

    return _MARKER.sub(choose, text)
