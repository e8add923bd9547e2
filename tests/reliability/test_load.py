"""A short load run on the real `assistant chat` server: 20 concurrent gradio_client users for
15 s (the full two-minute run is `python -m benchmarks.chat_load`)."""

from __future__ import annotations

from benchmarks.chat_load import run_load


def test_twenty_users_no_errors_all_answers_correct() -> None:
    lines: list[str] = []
    figures = run_load(users=20, seconds=15, max_requests=50, report_every=5, say=lines.append)
    print("\n".join(lines))
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["wrong_answers"] == 0, figures["wrong_samples"]
    # every user got at least one answer in, and the server reported its memory
    assert figures["requests"] >= 20
    assert len(figures["rss_mb"]) >= 3 and all(mb > 0 for mb in figures["rss_mb"])
