"""The Rust case in the order of what is known: the timeline, profiles and `order by` never
list a fact before one it is known to follow, and the orderings the articles establish hold
(issue: the interview after the shooting, Gutierrez-Reed's plea before her verdict and her
sentencing hearing after it, Halls's plea deal before every 2024 event)."""

from __future__ import annotations

import itertools

from casekb.profiles.timeline import build_timeline


def known_to_follow(later, earlier) -> bool:
    return later is not None and earlier is not None and later.start > earlier.end


def test_the_timeline_never_lists_an_event_before_one_it_follows(rust_kb):
    events = build_timeline(rust_kb, "Rust").events
    assert len(events) >= 15
    for (i, first), (j, second) in itertools.combinations(enumerate(events), 2):
        assert not known_to_follow(first.date, second.date), (first.description,
                                                              second.description)


def test_the_orderings_the_articles_establish(rust_kb):
    events = build_timeline(rust_kb, "Rust").events

    def position(kind: str, words: str) -> int:
        found = [n for n, e in enumerate(events) if e.kind == kind and words in e.description]
        assert len(found) == 1, (kind, words, [e.description for e in events])
        return found[0]

    shooting = position("incident", "fatally shot")
    assert shooting == 0
    interview = position("interview", "Stephanopolous")
    no_charges = position("other", "No criminal charges")
    assert shooting < interview and shooting < no_charges
    plea = position("plea", "Gutierrez-Reed pleads not guilty")
    verdict = position("verdict", "Gutierrez-Reed guilty")
    hearing = position("sentencing", "Gutierrez-Reed is to be sentenced")
    assert plea < verdict < hearing
    assert events[hearing].stage == "expected"
    deal = position("plea agreement", "Halls agrees")
    in_2024 = [n for n, e in enumerate(events) if e.date is not None and e.date.start.year == 2024]
    assert in_2024 and deal < min(in_2024)
    trial = position("trial", "trial for involuntary manslaughter")
    assert events[trial].stage == "scheduled" and str(events[trial].date) == "2024-07-10"


def test_order_by_a_date_respects_every_bound(rust_kb):
    for entity, field in (("pleas", "entered"), ("statements", "date"), ("charges", "filed"),
                          ("statuses", "date"), ("sentences", "imposed")):
        dates = [row[0] for row in rust_kb.query(f"{entity} show {field} order by {field}")]
        for first, second in itertools.combinations(dates, 2):
            assert not known_to_follow(first, second), (entity, first, second)


def test_statuses_are_as_last_reported_in_the_rust_data(rust_kb):
    statuses = {row[0]: row[1] for row in rust_kb.query("charges show id, status")}
    # The January 2023 charges were last reported pending by the article of 30 January 2023.
    assert str(statuses["baldwin-manslaughter-2023"]) == "pending, as last reported 2023-01-30"
    assert str(statuses["gutierrez-reed-manslaughter-2023"]) == \
        "pending, as last reported 2023-01-30"
    after = {row[0]: row[1] for row in rust_kb.query("charges as of 2023-06 show id, status")}
    assert after["baldwin-manslaughter-2023"].value is None  # not asserted after its report
    assert after["baldwin-manslaughter-2023"].last == "pending"
    later = {row[0]: row[1] for row in rust_kb.query("charges as of 2024-03-31 show id, status")}
    assert "baldwin-manslaughter-2023" not in later  # replaced by then
    assert later["gutierrez-reed-manslaughter-2024"].value == "convicted"


def test_the_2023_charge_is_replaced_by_the_one_count_of_2024(rust_kb):
    found = {row[0]: row[1:] for row in rust_kb.query(
        "charges show id, replaced_by, in_force, inferred")}
    assert found["baldwin-manslaughter-2023"][0] == ("baldwin-manslaughter-2024",)
    assert found["baldwin-manslaughter-2023"][1] is False
    assert found["baldwin-manslaughter-2024"][1] is True
    assert "replaces" in found["baldwin-manslaughter-2024"][2]  # the link is inferred
