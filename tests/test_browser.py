"""Real-browser test of the trajectory viewer: JupyterLab on 127.0.0.1 runs a copy of `nbs/trajectories.ipynb` (on the
generated example), Playwright drives Debian's chromium (no browser download): run all cells, move the sliders, check
that the rendered figures and texts change, save screenshots to `test-artifacts/browser/`.

Skips (with the reason) when playwright, chromium or jupyterlab is missing, or when TSDFM_BROWSER=0.
Chromium: `TSDFM_CHROMIUM` or `chromium` on PATH or /usr/bin/chromium (`apt-get install -y chromium`)."""
import json, os, shutil, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'test-artifacts' / 'browser'
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync']
# JupyterLab user settings for the run: no news/update checks, every cell kept in the DOM (no windowing)
LAB_SETTINGS = {'@jupyterlab/apputils-extension/notification.jupyterlab-settings': {'fetchNews': 'false', 'checkForUpdates': False},
                '@jupyterlab/notebook-extension/tracker.jupyterlab-settings': {'windowingMode': 'none'}}


def chromium_path():
    for p in (os.environ.get('TSDFM_CHROMIUM'), shutil.which('chromium'), '/usr/bin/chromium'):
        if p and Path(p).exists(): return p
    return None


def requirements():
    "Skip with the reason unless everything the test needs is here; returns (sync_playwright, chromium path)."
    if os.environ.get('TSDFM_BROWSER', '1') == '0': pytest.skip('TSDFM_BROWSER=0')
    try: from playwright.sync_api import sync_playwright
    except ImportError: pytest.skip('the playwright package is not installed (pip install playwright; no browser download needed)')
    chromium = chromium_path()
    if chromium is None: pytest.skip('no chromium executable (apt-get install -y chromium, or set TSDFM_CHROMIUM)')
    try: import jupyterlab, ipywidgets, anywidget  # noqa: F401
    except ImportError as e: pytest.skip(f'{e.name} is not installed')
    return sync_playwright, chromium


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def tutorial_copy(folder:Path, **params) -> Path:
    "The tutorial notebook, outputs cleared, with its parameters set to `params` (default: the generated example)."
    nb = json.loads((ROOT / 'nbs' / 'trajectories.ipynb').read_text())
    cell = next(c for c in nb['cells'] if 'parameters' in c.get('metadata', {}).get('tags', []))
    src = ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
    params = params or {'example_only': True, 'example_dir': str(folder / 'example')}
    cell['source'] = src + '\n' + ''.join(f'{k} = {v!r}\n' for k, v in params.items())
    for c in nb['cells']:
        if c['cell_type'] == 'code': c['outputs'], c['execution_count'] = [], None
    nb['metadata'].pop('widgets', None)
    path = folder / 'trajectories.ipynb'
    path.write_text(json.dumps(nb))
    return path


def start_lab(folder:Path, port:int) -> subprocess.Popen:
    env = dict(os.environ, OMP_NUM_THREADS='1', JUPYTER_CONFIG_DIR=str(folder / '.cfg'), JUPYTER_DATA_DIR=str(folder / '.data'),
               JUPYTER_RUNTIME_DIR=str(folder / '.runtime'), JUPYTERLAB_SETTINGS_DIR=str(folder / '.settings'),
               JUPYTERLAB_WORKSPACES_DIR=str(folder / '.workspaces'), IPYTHONDIR=str(folder / '.ipython'))
    for rel, val in LAB_SETTINGS.items():
        p = folder / '.settings' / rel; p.parent.mkdir(parents=True, exist_ok=True); p.write_text(json.dumps(val))
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
           '--ServerApp.port_retries=0', '--IdentityProvider.token=', '--ServerApp.password=', f'--ServerApp.root_dir={folder}',
           '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--LabApp.news_url=None',
           '--LabApp.extension_manager=readonly'] + (['--allow-root'] if os.geteuid() == 0 else [])
    log = open(folder / 'jupyterlab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None: break
        try:
            with urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status', timeout=2) as r:
                if r.status == 200: return proc
        except OSError: time.sleep(0.5)
    stop(proc)
    raise RuntimeError(f'JupyterLab did not start:\n' + (folder / 'jupyterlab.log').read_text()[-3000:])


def stop(proc:subprocess.Popen):
    "Stop the JupyterLab we started (its own process group: the server and its kernels)."
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try: proc.wait(15)
        except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL); proc.wait(5)


# JS run in the page: what a viewer shows now (the plotly graph div's data/layout and the text panel)
TRAJ_STATE = """el => { const gd = el.querySelector('.js-plotly-plot');
  return {marker: gd.layout.shapes[0].x0, circles: Array.from(gd.data[1].y || []), text: el.querySelector('.tsdfm-text').innerText,
          info: el.querySelector('.tsdfm-info').innerText, cells: (gd.data[0].z || []).length}; }"""
REROUTE_STATE = """el => { const gd = el.querySelector('.js-plotly-plot');
  return {energies: Array.from(gd.data[0].y || []), current: Array.from(gd.data[2].x || []), text: el.querySelector('.tsdfm-text').innerText}; }"""
SIDE_STATE = """el => Array.from(el.querySelectorAll('.tsdfm-trajectory')).map(v => v.querySelector('.js-plotly-plot').layout.shapes[0].x0)"""


def drag(page, slider, fraction:float):
    "Drag a noUiSlider handle (ipywidgets 8 slider) to `fraction` of its track, as a user would."
    slider.scroll_into_view_if_needed()
    track, handle = slider.locator('.noUi-target'), slider.locator('.noUi-handle')
    tb, hb = track.bounding_box(), handle.bounding_box()
    page.mouse.move(hb['x'] + hb['width'] / 2, hb['y'] + hb['height'] / 2)
    page.mouse.down()
    page.mouse.move(tb['x'] + tb['width'] * fraction, hb['y'] + hb['height'] / 2, steps=8)
    page.mouse.up()


def wait_change(page, locator, js, before, what, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = locator.evaluate(js)
        if now != before: return now
        page.wait_for_timeout(200)
    raise AssertionError(f'{what} did not change after moving the slider: {before}')


def run_all(page, n_code:int, timeout:float=240):
    "Run > Run All Cells, once the kernel is idle; wait until every code cell has an execution count."
    page.locator('.jp-StatusBar-TextItem', has_text='| Idle').first.wait_for(timeout=90_000)
    def prompts(): return [p.strip() for p in page.locator('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt').all_inner_texts()]
    deadline = time.time() + timeout
    for attempt in range(3):
        page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()        # Run > Run All Cells
        t_click = time.time()
        while time.time() - t_click < 15 and all(p == '[ ]:' for p in prompts()): page.wait_for_timeout(250)
        if not all(p == '[ ]:' for p in prompts()): break                          # the run started
        page.keyboard.press('Escape')
    while True:
        ps = prompts()
        if len(ps) >= n_code and all(p[1:-2].isdigit() for p in ps): return
        assert time.time() < deadline, f'the notebook did not finish: {ps}'
        page.wait_for_timeout(500)


def drive(page, port:int, timing:dict, t_start:float):
    page.goto(f'http://127.0.0.1:{port}/lab/tree/trajectories.ipynb', wait_until='domcontentloaded', timeout=60_000)
    page.wait_for_selector('.jp-NotebookPanel .jp-Notebook .jp-Cell', timeout=60_000)
    timing['notebook_open'] = time.time() - t_start
    nb = json.loads((ROOT / 'nbs' / 'trajectories.ipynb').read_text())
    run_all(page, sum(c['cell_type'] == 'code' for c in nb['cells']))
    timing['cells_run'] = time.time() - t_start
    errors = [t for t in page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
              if 'Traceback' in t or 'Error' in t]
    assert not errors, errors[0][-3000:]

    # the teacher viewer: drag its step slider, the figure (marker, circles) and the text must change
    viewer = page.locator('.tsdfm-trajectory').first
    viewer.locator('.js-plotly-plot .main-svg').first.wait_for(timeout=60_000)
    viewer.scroll_into_view_if_needed()
    before = viewer.evaluate(TRAJ_STATE)
    assert before['marker'] == 0 and before['cells'] > 0, before
    png_before = viewer.screenshot()
    drag(page, viewer.locator('.tsdfm-step-slider'), 0.35)
    after = wait_change(page, viewer, TRAJ_STATE, before, 'the trajectory viewer')
    page.wait_for_timeout(500)
    after = viewer.evaluate(TRAJ_STATE)
    assert after['marker'] > 0 and after['text'] != before['text'] and after['info'] != before['info'], (before, after)
    png_after = viewer.screenshot(path=str(OUT / 'trajectory_viewer.png'))
    assert png_after != png_before                                   # the rendered pixels changed too
    (OUT / 'trajectory_viewer_step0.png').write_bytes(png_before)
    # hovering a heatmap cell shows its token
    box = viewer.locator('.js-plotly-plot .nsewdrag').first.bounding_box()
    page.mouse.move(box['x'] + box['width'] * 0.9, box['y'] + box['height'] * 0.5)
    hover = viewer.locator('.hoverlayer .hovertext').first
    hover.wait_for(timeout=10_000)
    assert 'token' in hover.text_content() and 'position' in hover.text_content(), hover.text_content()
    viewer.screenshot(path=str(OUT / 'trajectory_hover.png'))
    page.mouse.move(0, 0)
    # keyboard: End moves the handle to the last step, where nothing is left masked
    viewer.locator('.tsdfm-step-slider .noUi-handle').focus()
    page.keyboard.press('End')
    end = wait_change(page, viewer, TRAJ_STATE, after, 'the trajectory viewer (keyboard)')
    page.wait_for_timeout(300)
    end = viewer.evaluate(TRAJ_STATE)
    assert '\u2592' not in end['text'] and end['marker'] > after['marker'], end

    # side by side: the shared time slider moves both viewers' markers
    side = page.locator('.tsdfm-side-by-side').first
    side.scroll_into_view_if_needed()
    side.locator('.js-plotly-plot .main-svg').last.wait_for(timeout=60_000)
    s0 = side.evaluate(SIDE_STATE)
    drag(page, side.locator('.tsdfm-time-slider'), 0.5)
    s1 = wait_change(page, side, SIDE_STATE, s0, 'the side-by-side viewers')
    page.wait_for_timeout(500)
    s1 = side.evaluate(SIDE_STATE)
    assert all(a != b for a, b in zip(s0, s1)), (s0, s1)
    side.screenshot(path=str(OUT / 'side_by_side.png'))

    # the reroute viewer: the midpoint slider changes the energies shown and the text
    rv = page.locator('.tsdfm-reroutes').first
    rv.scroll_into_view_if_needed()
    rv.locator('.js-plotly-plot .main-svg').first.wait_for(timeout=60_000)
    page.wait_for_function("el => el.querySelector('.js-plotly-plot').data && el.querySelector('.js-plotly-plot').data.length >= 3",
                           arg=rv.element_handle(), timeout=30_000)
    r0 = rv.evaluate(REROUTE_STATE)
    drag(page, rv.locator('.tsdfm-midpoint-slider'), 0.75)
    r1 = wait_change(page, rv, REROUTE_STATE, r0, 'the reroute viewer')
    page.wait_for_timeout(500)
    r1 = rv.evaluate(REROUTE_STATE)
    assert r1['current'] != r0['current'] and r1['energies'] != r0['energies'], (r0, r1)
    rv.screenshot(path=str(OUT / 'reroute_viewer.png'))
    viewer.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / 'jupyterlab.png'))


def test_trajectory_viewer_in_jupyterlab(tmp_path):
    sync_playwright, chromium = requirements()
    t_start = time.time()
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob('*'): f.unlink()                                   # screenshots, timing, logs of the last run only
    tutorial_copy(tmp_path)
    port = free_port()
    proc = start_lab(tmp_path, port)
    timing = {'lab_started': time.time() - t_start}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={'width': 1500, 'height': 1100})
            console = []
            page.on('console', lambda m: console.append(f'{m.type}: {m.text}'))
            page.on('pageerror', lambda e: console.append(f'pageerror: {e}'))
            try: drive(page, port, timing, t_start)
            except BaseException:
                page.screenshot(path=str(OUT / 'failure.png'), full_page=True)
                (OUT / 'console.log').write_text('\n'.join(console))
                raise
            finally: browser.close()
    finally:
        stop(proc)
    timing['total'] = time.time() - t_start
    (OUT / 'timing.json').write_text(json.dumps({k: round(v, 1) for k, v in timing.items()}, indent=1))
    print('browser test timing (s):', {k: round(v, 1) for k, v in timing.items()})
    for name in ('trajectory_viewer', 'side_by_side', 'reroute_viewer', 'jupyterlab'):
        assert (OUT / f'{name}.png').stat().st_size > 10_000, name
