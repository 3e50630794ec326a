from pipeline.content.frontmatter import MAX_VALUES, split


def test_positions_are_file_lines_and_columns():
    fm = split("---\ntitle: 'A'\ngallery:\n  - image_url: a-1.png\n    caption: x\n---\nbody\n")
    assert fm.data == {"title": "A", "gallery": [{"image_url": "a-1.png", "caption": "x"}]}
    assert fm.pos(("title",)) == (2, 8)
    assert fm.key_pos(("title",)) == (2, 1)
    assert fm.pos(("gallery", 0, "image_url")) == (4, 16)
    assert fm.pos(("gallery", 0, "caption")) == (5, 14)
    assert fm.body == "body\n" and fm.body_line == 7


def test_missing_path_falls_back_to_nearest_ancestor():
    fm = split("---\ngallery:\n  - image_url: a-1.png\n---\n")
    assert fm.pos(("gallery", 0, "caption")) == fm.pos(("gallery", 0)) == (3, 5)


def test_no_front_matter():
    fm = split("Just text\n")
    assert not fm.present and fm.body == "Just text\n" and not fm.issues


def test_unclosed_front_matter():
    fm = split("---\ntitle: x\n")
    assert [i.kind for i in fm.issues] == ["syntax"]
    assert "not closed" in fm.issues[0].message


def test_syntax_error_position():
    fm = split("---\ntitle: 'open\nother: 1\n---\n")
    (issue,) = fm.issues
    assert issue.kind == "syntax" and issue.line >= 2 and issue.message.startswith("YAML syntax error")


def test_duplicate_key_keeps_last_and_is_reported():
    fm = split("---\ntitle: a\ntags: leg\ntitle: b\n---\n")
    assert fm.data["title"] == "b"
    (dup,) = [i for i in fm.issues if i.kind == "duplicate-key"]
    assert (dup.line, dup.column, dup.related_line) == (4, 1, 2)
    assert fm.pos(("title",)) == (4, 8)


def test_header_no_is_boolean_and_dates_are_text():
    fm = split("---\nheader: no\ndate: 2020-01-02\ncount: 3\n---\n")
    assert fm.data == {"header": False, "date": "2020-01-02", "count": 3}


def test_python_tags_are_refused_not_constructed():
    fm = split("---\nx: !!python/object/apply:os.system ['echo hacked']\n---\n")
    assert any(i.kind == "unsupported" and "!!python/object/apply:os.system" in i.message for i in fm.issues)
    assert fm.data == {"x": ["echo hacked"]}


def test_alias_bomb_is_bounded():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for n in "bcdefghi":
        lines.append(f"{n}: &{n} [" + ", ".join([f"*{prev}"] * 10) + "]")
        prev = n
    lines.append("---")
    fm = split("\n".join(lines) + "\n")
    assert fm.data is None
    assert any(str(MAX_VALUES) in i.message for i in fm.issues)


def test_bom_and_crlf():
    fm = split("\ufeff---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert fm.data == {"title": "x"} and fm.body_line == 4


def test_merge_keys():
    fm = split("---\nbase: &b {caption: c, title: t}\nitem:\n  <<: *b\n  title: own\n---\n")
    assert fm.data["item"] == {"title": "own", "caption": "c"}


def test_fast_tag_resolution_gives_pyyaml_answers():
    """The loader's shortcut through tag resolution tags every node as PyYAML's own safe loader does."""
    import yaml

    from pipeline.content import frontmatter

    doc = "\n".join(
        f"k{i}: {v}"
        for i, v in enumerate(
            ["yes", "No", "on", "OFF", "true", "~", "null", "", "12", "-3", "0x1f", "0o17", "1_000", "3.5", "-.inf", ".NaN",
             "1e3", "2024-05-01", "2024-05-01 10:00:00", "'12'", '"true"', "=", "!!str 5", "+1", ".5",
             "Muscles of the leg", "[1, two]", "{a: 1}", "&a x", "*a", "'it''s'"]
        )
    )
    doc += "\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  y: [1.5, '2', no]\n"
    base = yaml.compose(doc, Loader=frontmatter._BaseLoader)
    fast = yaml.compose(doc, Loader=frontmatter._Loader)

    def tags(n):
        if isinstance(n, yaml.MappingNode):
            return [n.tag, [(tags(k), tags(v)) for k, v in n.value]]
        if isinstance(n, yaml.SequenceNode):
            return [n.tag, [tags(c) for c in n.value]]
        return [n.tag, n.value]

    assert frontmatter._Loader is not frontmatter._BaseLoader
    assert tags(fast) == tags(base)
