"""Markdown pieces the probes share."""

def sections(d, evs, head:str, line) -> list[str]:
    "One table per (jump order, evaluator) of the rows `d` (columns `order`, `evaluator`): `head` (header and rule lines), then `line(row)` per row."
    out = []
    for order in ('spread', 'random'):
        for ev in evs:
            s = d[(d['order'] == order) & (d['evaluator'] == ev)]
            out += [f'## {order} order, {ev}', '', *head.split('\n')] + [line(r) for r in s.itertuples()] + ['']
    return out
