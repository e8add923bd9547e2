"""Stateful test: random sequences of add / edit / rename / delete / ingest / restart / ask over a
small corpus folder, with the index invariants checked after every step (the model is real).

ASSISTANT_STATEFUL_EXAMPLES=N (and ASSISTANT_STATEFUL_STEPS=M) make the run longer."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from assistant.ingest.readers import article_id_for
from assistant.models.embeddings import ArticleEmbeddings
from tests.helpers import make_assistant
from tests.reliability_checks import article_text, check_answer, check_index, write_article

EXAMPLES = int(os.environ.get("ASSISTANT_STATEFUL_EXAMPLES", "8"))
STEPS = int(os.environ.get("ASSISTANT_STATEFUL_STEPS", "10"))


class IndexMachine(RuleBasedStateMachine):
    """The model: which files are on disk (seed, version), and which articles the index holds
    (id -> (seed, version, origin path)), following ingest's rules: add and update only, a
    file with the text of an article whose file is gone is a rename, deletes are by id."""

    embeddings: ArticleEmbeddings

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="state-machine-"))
        self.folder = self.root / "articles"
        self.folder.mkdir()
        self.data_dir = self.root / "data"
        self.assistant = make_assistant(self.data_dir, self.embeddings)
        self.files: dict[str, tuple[int, int]] = {}
        self.indexed: dict[str, tuple[int, int, str]] = {}
        self.next_seed = 0
        self.next_name = 0

    def teardown(self) -> None:
        self.assistant.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _path(self, name: str) -> Path:
        return self.folder / name

    def _id(self, name: str) -> str:
        return article_id_for(str(self._path(name).resolve()))

    def _new_name(self, suffix: str) -> str:
        self.next_name += 1
        return f"a{self.next_name:03d}{suffix}"

    def _remove_file(self, name: str) -> None:
        path = self._path(name)
        path.unlink()
        path.with_name(path.stem + ".meta.json").unlink(missing_ok=True)
        del self.files[name]

    @initialize()
    def start(self) -> None:
        for suffix in (".txt", ".md"):
            self.add_file(suffix=suffix)
        self.ingest()

    @rule(suffix=st.sampled_from([".txt", ".md"]))
    def add_file(self, suffix: str) -> None:
        name = self._new_name(suffix)
        seed = self.next_seed
        self.next_seed += 1
        write_article(self._path(name), seed)
        self.files[name] = (seed, 0)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def edit_file(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        seed, version = self.files[name]
        write_article(self._path(name), seed, version + 1)
        self.files[name] = (seed, version + 1)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def rename_file(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        new = self._new_name(self._path(name).suffix)
        old_path, new_path = self._path(name), self._path(new)
        old_path.rename(new_path)
        sidecar = old_path.with_name(old_path.stem + ".meta.json")
        if sidecar.exists():
            sidecar.rename(new_path.with_name(new_path.stem + ".meta.json"))
        self.files[new] = self.files.pop(name)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def delete_file_then_article(self, data: st.DataObject) -> None:
        """The user removes a file; ingest keeps its article until it is deleted by id."""
        name = data.draw(st.sampled_from(sorted(self.files)))
        self._remove_file(name)
        article_id = self._id(name)
        found = self.assistant.delete(article_id)
        assert found == (article_id in self.indexed)
        self.indexed.pop(article_id, None)

    @precondition(lambda self: self.indexed)
    @rule(data=st.data())
    def delete_by_id(self, data: st.DataObject) -> None:
        article_id = data.draw(st.sampled_from(sorted(self.indexed)))
        assert self.assistant.delete(article_id)
        del self.indexed[article_id]
        assert self.assistant.article(article_id) is None
        assert not self.assistant.delete(article_id), "a second delete found the article again"

    @rule()
    def ingest(self) -> None:
        expected_changes = self._apply_ingest_to_model()
        report = self.assistant.ingest([self.folder])
        assert not report.failed, report.summary()
        assert len(report.added) + len(report.replaced) == expected_changes, report.summary()
        assert (report.chunks_embedded > 0) == (expected_changes > 0), report.summary()
        again = self.assistant.ingest([self.folder])
        assert again.chunks_embedded == 0, f"unchanged files embedded again: {again.summary()}"
        assert again.unchanged == len(self.files), again.summary()

    def _apply_ingest_to_model(self) -> int:
        """What ingest_paths does, in the model: returns how many articles it (re)indexes."""
        by_content = {(s, v): i for i, (s, v, _) in self.indexed.items()}
        changes = 0
        for name in sorted(self.files):
            article_id, content = self._id(name), self.files[name]
            if self.indexed.get(article_id, (None, None, ""))[:2] == content:
                continue
            twin = by_content.get(content)
            if twin is not None and twin != article_id:
                assert not Path(self.indexed[twin][2]).exists(), "the model never copies a file"
                del self.indexed[twin]
            self.indexed[article_id] = (*content, str(self._path(name).resolve()))
            by_content[content] = article_id
            changes += 1
        return changes

    @rule()
    def restart(self) -> None:
        self.assistant.close()
        self.assistant = make_assistant(self.data_dir, self.embeddings)

    @precondition(lambda self: self.indexed)
    @rule(data=st.data())
    def ask(self, data: st.DataObject) -> None:
        article_id = data.draw(st.sampled_from(sorted(self.indexed)))
        seed, version, _ = self.indexed[article_id]
        title, body = article_text(seed, version)
        first_sentence = body.split(". ")[0]
        passages = self.assistant.retrieve(f"{title}. {first_sentence}", k=10)
        top = [p.article_id for p in passages[:3]]
        assert article_id in top, f"{title!r} not retrieved: {top}"
        current = {row.id for row in self.assistant.index.registry.all_chunks()}
        for passage in passages:
            article = self.assistant.article(passage.article_id)
            assert article is not None and passage.chunk_id in current, passage.chunk_id
            assert article.text[passage.start : passage.end] == passage.text, "stale passage"
        answer = self.assistant.ask(f"What happened in {first_sentence.split(' in ')[-1]}?")
        check_answer(self.assistant, answer)

    @invariant()
    def index_matches_model(self) -> None:
        indexed = check_index(self.assistant)
        assert indexed == set(self.indexed), (
            f"index holds {sorted(indexed)}, the model {sorted(self.indexed)}"
        )
        for article_id, (seed, version, origin) in self.indexed.items():
            article = self.assistant.article(article_id)
            assert article is not None
            title, body = article_text(seed, version)
            assert (article.title, article.text, article.origin) == (title, body, origin)


def test_index_state_machine(embeddings: ArticleEmbeddings) -> None:
    IndexMachine.embeddings = embeddings
    run_state_machine_as_test(
        IndexMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
