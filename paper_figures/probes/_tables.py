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


def mauve_cell(m, g) -> str: return '—' if m != m else f'{m:.3f}' + (f' ({g:+.3f})' if g == g else '')


def frontier_sections(t, frontiers, head:str, extra) -> list[str]:
    """Per evaluator, a table of `t`'s rows: model, gen-PPL [CI], entropy, NFE, the ratio to each of `frontiers` (columns
    of `t`), MAUVE with its gap, then the cells `extra(row)` gives (a string starting with ' | ')."""
    out = []
    for ev in evaluators_in(t):
        out += [f'## {ev}', '', *head.split('\n')]
        for r in t[t['evaluator'] == ev].itertuples():
            out.append(f"| {r.model} | {r.gen_ppl:.1f} [{r.ci[0]:.1f}, {r.ci[1]:.1f}] | {r.entropy:.3f} | {r.nfe:.1f} | "
                       + ' | '.join(ratio(t.loc[r.Index, k]) for k in frontiers) + f" | {mauve_cell(r.mauve, r.mauve_gap)}" + extra(r))
        out.append('')
    return out


def finish(out:list, script:str, results:str, path:str) -> str:
    "The made-by line, then the text written to `path` (if given, atomically) and printed."
    import datetime
    from tsdfm.config import atomic_write_text
    text = '\n'.join(out + [f'Made {datetime.date.today()} by `paper_figures/probes/{script}` from `{results}`.', ''])
    if path: atomic_write_text(path, text)
    print(text)
    return text


def probe_args(*extra):
    """The guided probes' arguments: `--results`, `--out`, `--teacher`, `--source`, then each `(flag, default)` of `extra`;
    and the results table of that teacher and source (`data` rows kept: held-out text is every teacher's)."""
    import argparse
    from tsdfm.results import load_table
    p = argparse.ArgumentParser(); p.add_argument('--results', default='paper_figures/results'); p.add_argument('--out', default='')
    p.add_argument('--teacher', default='0d6a6073b1'); p.add_argument('--source', default='mask')
    for flag, default in extra: p.add_argument(flag, default=default)
    a = p.parse_args()
    d = load_table(a.results)
    return a, d[(d['source'] == a.source) & ((d['teacher_id'] == a.teacher) | (d['role'] == 'data'))]


def teacher_frontier(d, ev:str, steps:int, sampler:str):
    "The rows of teacher@`steps` with jump rule `sampler` under evaluator `ev` (seed 0): a temperature frontier."
    from tsdfm.frontier import one_seed
    return one_seed(d[(d['role'] == 'teacher') & (d['steps'] == steps) & (d['sampler'] == sampler) & (d['evaluator'] == ev)], 0)
