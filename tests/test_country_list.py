"""The country list reads in the page's language and in the order its readers expect."""

import re


def countries(client, lang):
    html = client.get(f"/{lang}/auth/register").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="country"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="[A-Z]{2}">([^<]+)</option>', select)


def test_french_accented_names_sort_with_their_letter(client):
    names = countries(client, "fr")
    assert names.index("Égypte") < names.index("Zimbabwe")
    assert names.index("Allemagne") < names.index("États-Unis") < names.index("Italie")


def test_ukrainian_names_follow_the_ukrainian_alphabet(client):
    names = countries(client, "uk")
    assert names.index("Україна") > names.index("Ізраїль") > names.index("Австрія")
    assert names[0].startswith("А")
