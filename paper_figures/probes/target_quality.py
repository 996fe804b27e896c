"""The distillation targets as samples: is the shaped rollout itself below the teacher@1024 frontier at matched entropy?

A trajectory-scheme student imitates the states of its teacher's rollouts (`artifacts/targets/<store>`): 256 teacher
steps, 16 midpoints; shaped, the compass keeps one of K candidate jumps at every midpoint. The rollout's last state
(t = 1) is a sample of what the student is taught: of the teacher@256 (blind) or of the shaped sampler (teacher +
compass, K x the midpoints' calls). Scoring those samples with the evaluators separates two questions that a
student's ratio mixes: does shaping make better text at matched entropy (the targets), and how much of it does an
8-step student keep (the student rows of T2)? A student cannot be expected to beat a frontier its own targets do not.

Each store's first `--n` trajectories (its seeded order; all of them where it holds fewer), gen-PPL token-weighted with a 95% bootstrap interval,
entropy = mean per-sample unigram entropy (nats); read against the teacher@1024 frontier (random order) of T2's
results at the targets' own entropy (`tsdfm.frontier.ppl_on_frontier`: log-linear, never extrapolated).

    python paper_figures/probes/target_quality.py [--n 1024] [--json paper_figures/results/target_quality.json] [--out paper_figures/target_quality.md]
"""
import argparse, json, re, sys
from pathlib import Path
import pandas as pd, torch
from safetensors import safe_open
from tsdfm.config import atomic_write_text
from tsdfm.evaluation import score_samples
from tsdfm.frontier import ppl_on_frontier
from tsdfm.pipeline import PipelineConfig, preflight, stage_data, stage_evaluators
from tsdfm.results import load_table
sys.path.insert(0, str(Path(__file__).parent))      # one_recipe.py: the students' T2 records and the teacher@1024 frontier
from one_recipe import frontier

SOURCES = {'0d6a6073b1': 'mask', 'c843347bd0': 'mixed', 'c485dfc9be': 'uniform'}

def stores(root:Path, teachers=SOURCES) -> pd.DataFrame:
    """One row per finished target store of `teachers`: its folder, key fields and finished shards `[(b0, b1, dir)]`;
    stores that differ only in their target type (the same rollouts) once, the soft one (hard stores are read from it)."""
    out = []
    for d in sorted(root.glob('trajectory-*')):
        done = [(*map(int, re.findall(r'\d+', s.parent.name)), s.parent) for s in sorted(d.glob('batches-*-*/targets.json'))]
        if not done: continue
        k = json.loads((done[0][2]/'targets.json').read_text())['key']
        if k['teacher_id'] in teachers and k['scheme'] == 'trajectory':
            out.append({'store': d.name, 'source': teachers[k['teacher_id']], **{f: k[f] for f in ('teacher_id', 'mode', 'compass', 'K', 'beta', 'seed', 'teacher_steps', 'n_midpoints', 'temperature', 'trajectory_sampler', 'batch_size', 'targets')},
                        'tau': k.get('tau', 0.0), 'shards': done})
    same = ['teacher_id', 'mode', 'compass', 'K', 'beta', 'tau', 'seed', 'teacher_steps', 'n_midpoints', 'temperature', 'trajectory_sampler', 'batch_size']
    st = pd.DataFrame(out).sort_values(['targets', 'store'], key=lambda c: c.ne('soft') if c.name == 'targets' else c)
    return st.drop_duplicates(same).sort_index()   # a hard-target store read from a soft one's shards holds the same rollouts

def cover(shards:list, n_batches:int) -> list:
    "Shard folders covering batches `[0, n_batches)` in order (or as far as the finished shards reach), largest first at each point."
    out, b = [], 0
    while b < n_batches:
        nxt = max((s for s in shards if s[0] == b), key=lambda s: s[1], default=None)
        if nxt is None: break
        out.append(nxt[2]); b = nxt[1]
    if not out: raise ValueError(f'no finished shard starts at batch 0 (have {[s[:2] for s in shards]})')
    return out

def final_states(row, n:int) -> torch.Tensor:
    "The last states `[m, L]` (t = 1) of a store row's first `m = min(n, trajectories it holds from batch 0 on)` trajectories."
    xs = []
    for d in cover(row['shards'], -(-n // row['batch_size'])):
        with safe_open(str(d/'targets.safetensors'), 'pt') as f: xs.append(f.get_slice('states')[-1:][0])
    return torch.cat(xs)[:n].long()

def setup(evaluators=('ar-small', 'ar-large', 'smollm2'), threads:int=1):
    "The corpus data and evaluators the three teachers share (same corpus, tokenizer and sequence length)."
    torch.set_num_threads(threads)
    cfg = preflight(PipelineConfig(source='mask', threads=threads, evaluators=','.join(evaluators)))
    data = stage_data(cfg); return data, stage_evaluators(cfg, data)

def measure(row, n:int, data, evs) -> list:
    "Score one store's final states under the evaluators `evs`: one record per evaluator."
    x = final_states(row, n)
    if x.max() >= data.vocab_size: raise ValueError(f"store {row['store']}: ids >= vocab {data.vocab_size} (masks) left in the final states")
    m = score_samples(x, data.tokenizer.batch_decode(x.tolist()), evs, seed=0)
    print(row['store'], row['source'], row['mode'], f"{m['entropy']:.3f}", {e.name: round(m[e.name]['gen_ppl'], 1) for e in evs}, flush=True)
    return [{**{k: row[k] for k in row.index if k != 'shards'}, 'n_samples': len(x), 'max_n': n, 'seq_len': x.shape[1], 'evaluator': ev.name,
             'entropy': m['entropy'], 'distinct_2': m['distinct_2'], **{k: m[ev.name][k] for k in ('gen_ppl', 'ci_low', 'ci_high', 'eval_tokens', 'mauve', 'mauve_std') if k in m[ev.name]}}
            for ev in evs]

def read(recs:list, results:str) -> pd.DataFrame:
    """The target records and the seed-0 students distilled from them (`one_recipe.rows`), each against every teacher's
    teacher@1024 frontier (random order) at its own entropy."""
    from one_recipe import rows as student_rows
    df, ids = load_table(results), {v: k for k, v in SOURCES.items()}
    t = pd.DataFrame(recs).assign(what=lambda d: d['mode'] + ' targets' + d['compass'].map(lambda c: f' ({c}, K=8)' if c else ''))
    st = student_rows(results, ids).rename(columns={'n_samples': 'n'})
    st = st.assign(what=st['student'] + ' student@8 [' + st['order'] + ']', teacher_id=st['source'].map(ids), seed=0, n_samples=st['n'], mode=st['student'])
    t = pd.concat([t, st[[c for c in ('source', 'teacher_id', 'seed', 'mode', 'what', 'evaluator', 'gen_ppl', 'ci_low', 'ci_high', 'entropy', 'n_samples', 'mauve', 'mauve_std', 'distinct_2') if c in st]]], ignore_index=True)
    for src, tid in ids.items():
        fr = {ev: frontier(df, tid, ev) for ev in t['evaluator'].unique()}          # one selection per (teacher, evaluator)
        t[f'vs_{src}_teacher1024'] = [r['gen_ppl'] / ppl_on_frontier(fr[r['evaluator']], r['entropy']) for _, r in t.iterrows()]
    t['vs_own_teacher1024'] = [r[f"vs_{r['source']}_teacher1024"] for _, r in t.iterrows()]
    return t

def markdown(t:pd.DataFrame, n:int) -> str:
    x = lambda v: '—' if v != v else f'{v:.3f}x'
    mv = lambda r: f"{r['mauve']:.3f} ± {r['mauve_std']:.3f}" if pd.notna(r.get('mauve')) and r['n_samples'] == 256 else '—'
    out = ['# The distillation targets as samples: blind and shaped rollouts, and the students taught by them, against the teacher@1024 frontiers', '',
           f'Targets: the final states (t = 1) of the trajectory-scheme target stores (256 teacher steps, 16 midpoints, T = 1; '
           f'shaped: K=8 candidates at every midpoint, the compass named), the first {n} trajectories of each store (fewer where it holds fewer: the n column), 64 tokens. '
           'Students: the seed-0 student@8 at T=1 distilled from those stores (soft rkl, 1024 trajectories, 600 it; '
           '`one_recipe.md`), 256 samples, in the path\'s random order and in the spread order. gen-PPL token-weighted '
           '[95% bootstrap CI]; entropy = mean per-sample unigram entropy (nats). Ratios: gen-PPL over a teacher@1024 '
           'frontier (random order, T 0.6-1.1 as swept) at the row\'s own entropy (log-linear, never extrapolated; — outside '
           'the swept range); "own" is the row\'s own teacher. MAUVE (under the evaluator\'s features, against 256 held-out test '
           'blocks) only where the row has 256 samples, as the frontiers do (it moves with the sample count). Teachers: ' + ', '.join(f'{v} `{k}`' for k, v in SOURCES.items()) + '.', '']
    for ev in t['evaluator'].unique():
        s = t[t['evaluator'] == ev].sort_values(['source', 'seed', 'what'])
        out += [f'## {ev}', '', '| source | seed | what | n | gen-PPL [95% CI] | entropy | MAUVE (n=256 rows) | vs own teacher@1024 | vs mask teacher@1024 | vs mixed teacher@1024 | vs uniform teacher@1024 |',
                '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|']
        for _, r in s.iterrows():
            out.append(f"| {r['source']} | {r['seed']} | {r['what']} | {r['n_samples']:.0f} | {r['gen_ppl']:.1f} [{r['ci_low']:.1f}, {r['ci_high']:.1f}] | "
                       f"{r['entropy']:.3f} | {mv(r)} | {x(r['vs_own_teacher1024'])} | {x(r['vs_mask_teacher1024'])} | {x(r['vs_mixed_teacher1024'])} | {x(r['vs_uniform_teacher1024'])} |")
        out.append('')
    return '\n'.join(out)

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--targets', default='artifacts/targets')
    p.add_argument('--results', default='paper_figures/results')
    p.add_argument('--n', type=int, default=1024)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--only', default='', help='comma-separated store folder names (default: every store of the three teachers)')
    p.add_argument('--json', default='paper_figures/results/target_quality.json')
    p.add_argument('--out', default='')
    a = p.parse_args()
    st = stores(Path(a.targets))
    if a.only: st = st[st['store'].isin(a.only.split(','))]
    f = Path(a.json)
    have = json.loads(f.read_text()) if f.exists() else []
    todo = st[~st['store'].isin({r['store'] for r in have if r.get('max_n', r['n_samples']) == a.n})]
    data, evs = setup(threads=a.threads) if len(todo) else (None, None)
    for _, r in todo.iterrows():                                   # one store at a time: an interrupted run resumes
        have = [h for h in have if not (h['store'] == r['store'] and h.get('max_n', h['n_samples']) == a.n)] + measure(r, a.n, data, evs)
        atomic_write_text(f, json.dumps(have, indent=1, default=str))
    t = read([h for h in have if h.get('max_n', h['n_samples']) == a.n], a.results)
    md = markdown(t, a.n)
    if a.out: atomic_write_text(a.out, md + '\n')
    print(md)
