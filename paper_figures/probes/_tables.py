"""Markdown pieces the probes share."""

def sections(d, evs, head:str, line) -> list[str]:
    "One table per (jump order, evaluator) of the rows `d` (columns `order`, `evaluator`): `head` (header and rule lines), then `line(row)` per row."
    out = []
    for order in ('spread', 'random'):
        for ev in evs:
            s = d[(d['order'] == order) & (d['evaluator'] == ev)]
            out += [f'## {order} order, {ev}', '', *head.split('\n')] + [line(r) for r in s.itertuples()] + ['']
    return out


def evaluators_in(d) -> list[str]:
    "The evaluators in `d`'s rows, smallest first."
    return [e for e in ('ar-small', 'ar-large', 'smollm2') if e in set(d['evaluator'])]


def ratio(v) -> str: return '—' if v != v else f'{v:.3f}x'
