"""Pool the seed replicates of each student in one or more T2 tables (`matched_entropy_table`'s CSV).

For every shaped student configuration (its T2 label without ", seed N", its recipe and teacher) and evaluator:
the ratio of its gen-PPL to the blind student's frontier of the same seed and to the teacher@1024 frontier, both read
at its own entropy (T2's `vs_blind_frontier`, `vs_teacher1024_frontier`), per seed; the geometric mean over seeds and
a 95% t-interval of the mean log-ratio (seeds are the replicates; with one seed there is no interval). The T2 rows'
own bootstrap intervals (over samples) are not in these numbers: the interval here is over seeds only.

A second, unpaired reading of what shaping adds: the shaped seeds' mean log-ratio to the teacher@1024 frontier minus
the blind seeds' (same teacher, source, recipe and evaluator), each student at its own entropy, with a Welch
95% interval. It does not tie a shaped seed to the blind student of its seed, so the spread of the blind students
(one frontier per seed) enters once, as the blind mean, instead of in every paired ratio.

That reading assumes the blind and the teacher@1024 frontiers are parallel between the students' entropies; they are
not (a blind student's frontier is steeper), so when the shaped students are cooler it favours shaping. The third
reading keeps matched entropy and still uses every blind seed: each shaped seed's gen-PPL (every temperature) against each blind
seed's own frontier (temperature sweep) read at the shaped student's entropy (`--results` and `--teacher`). Its
95% interval is over the crossed seeds (shaped and blind seeds as the replicates, Welch-Satterthwaite degrees of
freedom); with one shaped seed it holds only the blind seeds' spread. With `--samplers random,spread` it is made for the
students sampled in each jump order (shaped and blind alike; teacher@1024 always in the path's own order).

    python paper_figures/probes/shaping_replicates.py paper_figures/teacher_32ac5f1ace/T2_matched_entropy.csv [more.csv ...] [--out F.md]
        [--results paper_figures/results --teacher 32ac5f1ace,c485dfc9be [--samplers random,spread]]
"""
import argparse, math, re, sys
import pandas as pd
from scipy import stats

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}   # t quantiles, df = n - 1

def split_seed(label:str) -> tuple[str, int]:
    "`('shaped (trajectory, ar, K=8)', 1)` from `'shaped (trajectory, ar, K=8), seed 1'`; seed 0 where the label names none."
    m = re.fullmatch(r'(.*), seed (\d+)', label)
    return (m.group(1), int(m.group(2))) if m else (label, 0)

def pooled(ratios:list[float]) -> dict:
    "Geometric mean of `ratios` and the 95% t-interval of their mean log (`nan` bounds with one ratio)."
    logs = [math.log(r) for r in ratios]; n = len(logs); mu = sum(logs) / n
    if n < 2: return {'mean': math.exp(mu), 'lo': float('nan'), 'hi': float('nan')}
    sd = math.sqrt(sum((x - mu) ** 2 for x in logs) / (n - 1)); h = T975[n - 1] * sd / math.sqrt(n)
    return {'mean': math.exp(mu), 'lo': math.exp(mu - h), 'hi': math.exp(mu + h)}

def welch(a:list[float], b:list[float]) -> dict:
    "exp of mean(log a) - mean(log b) and its Welch 95% interval (`nan` bounds unless both have two values or more)."
    la, lb = [math.log(x) for x in a], [math.log(x) for x in b]
    d = sum(la) / len(la) - sum(lb) / len(lb)
    if min(len(la), len(lb)) < 2: return {'mean': math.exp(d), 'lo': float('nan'), 'hi': float('nan')}
    va, vb = (pd.Series(la).var() / len(la), pd.Series(lb).var() / len(lb))
    df = (va + vb) ** 2 / (va ** 2 / (len(la) - 1) + vb ** 2 / (len(lb) - 1)) if va + vb > 0 else 1e9
    h = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    return {'mean': math.exp(d), 'lo': math.exp(d - h), 'hi': math.exp(d + h)}

def _load(paths:list[str]) -> pd.DataFrame:
    d = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    d = d.drop_duplicates(subset=['teacher_id', 'model', 'recipe', 'evaluator', 'run_id'])        # a teacher's rows in several T2 tables count once
    d = d[~d['model'].str.contains(r'\[')]                                      # random-order students only
    d[['config', 'seed']] = d['model'].apply(lambda s: pd.Series(split_seed(s)))
    return d

def unpaired_table(paths:list[str]) -> pd.DataFrame:
    "Per shaped configuration and evaluator: shaped seeds vs blind seeds, both through the teacher@1024 frontier (`welch`)."
    d = _load(paths); rows = []
    blind = d[d['model'].str.startswith('blind')].dropna(subset=['vs_teacher1024_frontier'])
    for (tid, src, cfg, rec, ev), g in d[d['model'].str.startswith('shaped')].groupby(['teacher_id', 'source', 'config', 'recipe', 'evaluator'], sort=False):
        b = blind[(blind['teacher_id'] == tid) & (blind['source'] == src) & (blind['recipe'] == rec) & (blind['evaluator'] == ev)]
        g = g.dropna(subset=['vs_teacher1024_frontier'])
        if b.empty or g.empty: continue
        rows.append({'teacher_id': tid, 'source': src, 'student': cfg, 'recipe': rec, 'evaluator': ev,
                     'shaped_seeds': ' '.join(map(str, sorted(g['seed']))), 'blind_seeds': ' '.join(map(str, sorted(b['seed']))),
                     **welch((1 + g['vs_teacher1024_frontier']).tolist(), (1 + b['vs_teacher1024_frontier']).tolist())})
    return pd.DataFrame(rows)

def replicate_table(paths:list[str]) -> pd.DataFrame:
    "One row per (teacher, source, configuration, recipe, evaluator, comparison): the per-seed ratios and their pooled mean."
    d = _load(paths)
    d = d[d['model'].str.startswith('shaped')]
    rows = []
    for (tid, src, cfg, rec, ev), g in d.groupby(['teacher_id', 'source', 'config', 'recipe', 'evaluator'], sort=False):
        for col, what in (('vs_blind_frontier', 'vs blind (same seed)'), ('vs_teacher1024_frontier', 'vs teacher@1024')):
            r = g.dropna(subset=[col]).sort_values('seed')
            if r.empty: continue
            ratios = (1 + r[col]).tolist()
            rows.append({'teacher_id': tid, 'source': src, 'student': cfg, 'recipe': rec, 'evaluator': ev, 'comparison': what,
                         'seeds': ' '.join(map(str, r['seed'])), 'per_seed': ' / '.join(f'{x:.3f}' for x in ratios), **pooled(ratios)})
    return pd.DataFrame(rows)

fmt = lambda x: '' if x != x else f'{x:.3f}'

def to_markdown(t:pd.DataFrame, cols:dict, last:str) -> str:
    "A markdown table of `t`: the columns `cols` (`{column: heading}`), then `last`: the pooled ratio and its interval."
    lines = ['| ' + ' | '.join([*cols.values(), last]) + ' |', '|' + '---|' * (len(cols) + 1)]
    for _, r in t.iterrows():
        ci = f" [{fmt(r['lo'])}, {fmt(r['hi'])}]" if r['lo'] == r['lo'] else ''
        lines.append('| ' + ' | '.join([*(str(r[c]) for c in cols), fmt(r['mean']) + ci]) + ' |')
    return '\n'.join(lines) + '\n'

KEYS = {'teacher_id': 'teacher', 'student': 'student', 'recipe': 'recipe', 'evaluator': 'evaluator'}

def crossed(logs:list[list[float]]) -> dict:
    "exp of the mean of `logs[i][j]` (shaped seed i, blind seed j) and its 95% interval over both kinds of seed."
    ns, nb = len(logs), len(logs[0]); mu = sum(map(sum, logs)) / (ns * nb)
    rows, cols = [sum(r) / nb for r in logs], [sum(r[j] for r in logs) / ns for j in range(nb)]
    var = lambda v: pd.Series(v).var() / len(v) if len(v) > 1 else 0.0
    va, vb = var(rows), var(cols)
    if va + vb == 0: return {'mean': math.exp(mu), 'lo': float('nan'), 'hi': float('nan')}
    df = (va + vb) ** 2 / sum(v ** 2 / (n - 1) for v, n in ((va, ns), (vb, nb)) if n > 1)
    h = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    return {'mean': math.exp(mu), 'lo': math.exp(mu - h), 'hi': math.exp(mu + h)}

def cross_table(results:str, teacher:str, source:str='uniform', sampler:str='random') -> pd.DataFrame:
    """Per shaped configuration and evaluator: its seeds (each temperature) against every blind seed's frontier of the same
    recipe, at matched entropy; students and blind frontiers sampled with the jump rule `sampler`, teacher@1024 with the path's own."""
    from tsdfm.results import load_table
    from tsdfm.frontier import ppl_on_frontier, student_label
    d = load_table(results)
    d = d[(d['teacher_id'] == teacher) & (d['source'] == source) & (d['steps'] == 8) & (d['sampler'].fillna('random') == sampler)]
    d = d.assign(seed=d['seed'].fillna(0).astype(int), config=d.apply(student_label, axis=1) if len(d) else [])
    blind, shaped = d[d['role'] == 'student_blind'], d[d['role'] == 'student_shaped']
    t = load_table(results); t = t[(t['teacher_id'] == teacher) & (t['role'] == 'teacher') & (t['steps'] == 1024) & (t['sampler'].fillna('random') == 'random')]
    rows = []
    for (cfg, rec, T, ev), g in shaped.groupby(['config', 'recipe', 'temperature', 'evaluator'], sort=False):
        b = blind[(blind['recipe'] == rec) & (blind['evaluator'] == ev)]
        if b.empty: continue
        fr = {s: f for s, f in b.groupby('seed')}
        logs = [[math.log(r['gen_ppl'] / ppl_on_frontier(f, r['entropy'])) for f in fr.values()] for _, r in g.sort_values('seed').iterrows()]
        if any(x != x for row in logs for x in row): continue                    # a shaped entropy outside a blind frontier
        tf = t[t['evaluator'] == ev]; vt = [r['gen_ppl'] / ppl_on_frontier(tf, r['entropy']) for _, r in g.iterrows()]
        rows.append({'teacher_id': teacher, 'source': source, 'sampler': sampler, 'student': cfg, 'recipe': rec, 'T': f'{T:g}', 'evaluator': ev,
                     'entropy': f"{g['entropy'].mean():.3f}", 'vs_t1024': fmt(math.exp(sum(map(math.log, vt)) / len(vt))),
                     'shaped_seeds': ' '.join(map(str, sorted(g['seed']))), 'blind_seeds': ' '.join(map(str, sorted(fr))),
                     'per_pair': ' / '.join(f'{math.exp(x):.3f}' for row in logs for x in row), **crossed(logs)})
    return pd.DataFrame(rows)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('tables', nargs='+'); ap.add_argument('--out', default='')
    ap.add_argument('--results', default=''); ap.add_argument('--teacher', default=''); ap.add_argument('--samplers', default='random')
    a = ap.parse_args()
    md = (to_markdown(replicate_table(a.tables), {**KEYS, 'comparison': 'comparison', 'seeds': 'seeds', 'per_seed': 'ratio per seed'},
                      'geometric mean [95% t-interval over seeds]')
          + '\nUnpaired: shaped seeds against blind seeds, each through the teacher@1024 frontier at its own entropy.\n\n'
          + to_markdown(unpaired_table(a.tables), {**KEYS, 'shaped_seeds': 'shaped seeds', 'blind_seeds': 'blind seeds'},
                        'shaped / blind, through the teacher@1024 frontier [Welch 95%]'))
    if a.results:
        md += ('\nCrossed: each shaped seed (every temperature) against each blind seed\'s own frontier at the shaped entropy (matched '
               'entropy); the teacher@1024 column is the geometric mean over shaped seeds.\n\n' + to_markdown(pd.concat([cross_table(a.results, t, sampler=s) for s in a.samplers.split(',') for t in a.teacher.split(',')]), {**KEYS, 'sampler': 'students sampled', 'T': 'T', 'entropy': 'entropy', 'vs_t1024': 'vs teacher@1024 frontier', 'shaped_seeds': 'shaped seeds',
               'blind_seeds': 'blind seeds', 'per_pair': 'ratio per (shaped, blind) pair'}, 'geometric mean [95%, crossed seeds]'))
    if a.out: open(a.out, 'w').write(md)
    sys.stdout.write(md)
