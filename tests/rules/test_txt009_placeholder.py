"""TXT009: placeholder text left in a page."""

from __future__ import annotations

CODE = "TXT009"


def test_placeholders_in_body_and_front_matter(rule):
    rule.check(
        "# page: raw/pages/a.md\n"
        "description: The lateral compartment holds two muscles. FIXME: name the nerve.\n"
        "front: caption_note: TBD\n"
        "body: - TBD: the blood supply\n",
        (29, 44, "placeholder left in the page: 'FIXME: name the nerve.' (2 places on this page)"),
        check_files=False,
    )


def test_in_a_title(rule):
    rule.check(
        "# page: raw/pages/a.md\ntitle: TODO lateral compartment\ndescription: The lateral compartment holds two muscles.\n",
        (4, 9, "'TODO lateral compartment' (11 places on this page)"),
        select=["TXT009"],
        check_files=False,
    )


def test_lorem_ipsum(rule):
    rule.check("# page: raw/pages/a.md\ndescription: Lorem ipsum dolor sit amet.\n", (28, 1, "'Lorem ipsum dolor sit amet.'"), check_files=False)


def test_not_in_comments_code_or_lower_case(rule):
    rule.check(
        "# page: raw/pages/a.md\n"
        "description: Runners keep a todo list of stretches; the tbd in a table means nothing here.\n"
        "body: <!-- TODO: a second paragraph -->\n"
        "body: {% comment %}FIXME{% endcomment %}\n"
        "body: Written as `TODO` in the source.\n",
        check_files=False,
    )
