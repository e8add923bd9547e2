"""A wheel built from this tree carries its package data: installed into a fresh virtual
environment outside the checkout, it renders both prompts and loads an eval config."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.helpers import REPO

CHECK = """
import assistant, pathlib, sys
from assistant.answer.generative import load_prompt
from assistant.evals.configurations import load_config
home = pathlib.Path(assistant.__file__).resolve()
assert pathlib.Path(sys.prefix) in home.parents, home
for name in ("answer_with_citations", "condense_follow_up"):
    assert load_prompt(name).format_messages(
        passages="[1] text", question="Q?", abstain_sentence="No.", history="User: hi",
        already_said="",
    )
print(load_config("fast").settings, home)
"""


def test_installed_wheel_has_prompts_and_eval_configs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(wheels), str(REPO)],
        check=True, cwd=tmp_path, timeout=300,
    )
    (wheel,) = wheels.glob("article_assistant-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True, timeout=300,
    )
    # The dependencies come from this environment's site-packages (added by a .pth line, whose
    # own .pth files, among them the editable install of this checkout, are not run).
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    out = subprocess.run(
        [str(python), "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "{'reranker': 'none'}" in out.stdout
