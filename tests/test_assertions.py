"""Merging keeps every distinct evidence in a fixed order; statements are compact and picklable."""
import pickle
import random
from dataclasses import replace

from salvage_kg import assertions as a


def lifted(statements):
    """Indications' criteria and durations as statements too, with the indication's therapy and quote
    where they lack their own."""
    out = []
    for st in statements:
        if isinstance(st, a.Indication):
            def part(p):
                return replace(p, therapy=p.therapy or st.therapy, evidence=p.evidence or st.evidence)
            crits = tuple(part(c) for c in st.criteria)
            dur = part(st.duration) if st.duration else None
            st = replace(st, criteria=crits, duration=dur)
            out += [st, *crits, *([dur] if dur else [])]
        else:
            out.append(st)
    return out


def reference_merge(statements):
    """Merging as first written: fold each repeat into a new statement, then sort."""
    merged = {}
    for st in lifted(statements):
        k = st.key()
        if k in merged:
            old = merged[k]
            merged[k] = replace(old, evidence=tuple(dict.fromkeys(old.evidence + st.evidence)))
        else:
            merged[k] = st
    out = [replace(s, evidence=tuple(sorted(s.evidence, key=lambda e: (e.document, e.start, e.end))))
           for s in merged.values()]
    return sorted(out, key=lambda s: repr(s.key()))


def random_statements(seed: int, n: int = 400) -> list:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        doc = rng.choice("abc")
        start = rng.randrange(50)
        ev = tuple(a.Evidence(doc, s, s + 3, "x" * 3, negated=rng.random() < 0.2)
                   for s in (start, rng.randrange(50)))[:rng.randint(1, 2)]
        kind = rng.randrange(3)
        if kind == 0:
            crit = a.Criterion(parameter="psa", value=float(rng.randrange(3)), label="PSA")
            out.append(a.Indication(therapy=rng.choice("xyz"), conditions=("c",), criteria=(crit,), evidence=ev))
        elif kind == 1:
            out.append(a.AdverseEffect(therapy=rng.choice("xy"), effect=rng.choice("pq"), evidence=ev))
        else:
            out.append(a.ConceptDeclaration(concept=rng.choice("uv"), type="Therapy", label="u", evidence=ev))
    return out


def test_merge_equals_the_reference():
    for seed in range(5):
        statements = random_statements(seed)
        got, want = a.merge(statements), reference_merge(statements)
        assert got == want
        assert [s.evidence for s in got] == [s.evidence for s in want]  # evidence is not part of ==
        assert len(got) < len(statements)


def test_an_indications_criteria_and_duration_become_statements_with_its_therapy_and_quote():
    ev = (a.Evidence("d", 0, 10, "q" * 10),)
    own_ev = (a.Evidence("d", 20, 25, "r" * 5),)
    bare = a.Criterion(parameter="psa", comparator="<", value=0.5, label="PSA < 0.5")
    own = a.Criterion(therapy="adt", parameter="psa", comparator=">", value=1.0, label="PSA > 1", evidence=own_ev)
    dur = a.Duration(value=6, label="6 months")
    ind = a.Indication(therapy="srt", criteria=(bare, own), duration=dur, evidence=ev)
    out = a.merge([ind])
    crits = {s.value: s for s in out if isinstance(s, a.Criterion)}
    assert crits[0.5].therapy == "srt" and crits[0.5].evidence == ev  # derived from the indication
    assert crits[1.0].therapy == "adt" and crits[1.0].evidence == own_ev  # its own are kept
    (d,) = [s for s in out if isinstance(s, a.Duration)]
    assert d.therapy == "srt" and d.evidence == ev
    (i,) = [s for s in out if isinstance(s, a.Indication)]
    assert set(i.criteria) == set(crits.values()) and i.duration == d  # the indication links the lifted parts
    assert a.merge(out) == out  # lifting is idempotent


def test_statements_have_no_instance_dict_and_pickle():
    st = random_statements(0, 1)[0]
    assert not hasattr(st, "__dict__") and not hasattr(st.evidence[0], "__dict__")
    back = pickle.loads(pickle.dumps(st))
    assert back == st and back.evidence == st.evidence
