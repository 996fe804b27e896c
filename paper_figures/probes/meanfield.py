# usage: .venv/bin/python paper_figures/probes/meanfield.py 4 1 1.0   (S, iterations, temperatures; after make demo)
"""Probe: an 8-step sampler that knows each step's reveal set and draws the revealed positions from a mean-field
update computed with the teacher (S samples of the others, leave-one-out posteriors, geometric mean). Upper bound
for a factorised, reveal-seeing student trained on leave-one-out rkl targets."""
import sys, json, torch, numpy as np
from tsdfm.train import load_checkpoint
from tsdfm.sampler import jump_plan, posterior_probs, sample_categorical
from tsdfm.evaluation import get_evaluator, sample_metrics
from tsdfm.data import prepare_data
from tsdfm.config import DataConfig, TokenizerConfig
torch.set_num_threads(1)
S, iters = int(sys.argv[1]), int(sys.argv[2]); temps = [float(x) for x in sys.argv[3].split(',')]
t = load_checkpoint('artifacts/teacher-mask-tiny'); net, path, mask = t.denoiser, t.path, t.mask_id
data = prepare_data(DataConfig.from_dict(t.config['data']), TokenizerConfig.from_dict(t.config['tokenizer']), cache_dir='artifacts/data')
ev = get_evaluator('ar-small', data, root='artifacts/evaluators')
@torch.no_grad()
def step(x, t0, h, g, T):
    B, L = x.shape
    jumped, u_what = jump_plan(path, x, t0, h, g)
    logq = torch.log_softmax(net(x, torch.full((B,), t0)).double(), -1)                  # teacher@8's posterior
    b_i, l_i = jumped.nonzero(as_tuple=True)
    for _ in range(iters):
        acc = torch.zeros(len(b_i), logq.shape[-1], dtype=torch.float64)
        for s in range(S):
            others = x.clone()
            draw = sample_categorical(logq[jumped].exp(), torch.rand(len(b_i), generator=g, dtype=torch.float64))
            others[b_i, l_i] = draw
            inp = others[b_i].clone(); inp[torch.arange(len(b_i)), l_i] = mask              # leave one out
            lo = []
            for i in range(0, len(inp), 512): lo.append(torch.log_softmax(net(inp[i:i+512], torch.full((len(inp[i:i+512]),), t0 + h))[torch.arange(len(inp[i:i+512])), l_i[i:i+512]].double(), -1))
            acc += torch.cat(lo) / S
        new = logq.clone(); new[b_i, l_i] = torch.log_softmax(acc, -1); logq = new
    probs = posterior_probs(logq[jumped], T)
    x = x.clone(); x[jumped] = sample_categorical(probs, u_what[jumped])
    return x
for T in temps:
    outs = []
    for bi in range(4):
        g = torch.Generator().manual_seed(bi)
        x = torch.full((64, 64), mask)
        for k in range(8): x = step(x, k / 8, 1 / 8, g, T)
        outs.append(x)
    tok = torch.cat(outs)
    m = sample_metrics(tok, {'ar-small': ev.token_nlls(t.decode(tok))})
    print(json.dumps({'S': S, 'iters': iters, 'T': T, 'gen_ppl': round(m['ar-small']['gen_ppl'], 1), 'ci': [round(m['ar-small']['ci_low'], 1), round(m['ar-small']['ci_high'], 1)], 'entropy': round(m['entropy'], 3)}), flush=True)
