"""Every item model passes Qt's model tester, over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from hstc_desk.gui.admin.audit_viewer import AuditModel
from hstc_desk.gui.browser.case_tree import CASE_ROLE, CaseTreeModel
from hstc_desk.gui.browser.item_models import ID_ROLE, BrowseModel, SearchModel
from hstc_desk.store import Store, browse
from hstc_desk.store.browse import BrowseFilter

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


@pytest.fixture(scope="module")
def store(demo_template: Path) -> Store:
    s = Store.open(demo_template, ANALYST, ANALYST_PW)
    yield s
    s.close()


def test_browse_model(qtmodeltester, store: Store) -> None:
    model = BrowseModel(store)
    model.window.max_blocks = 4
    assert model.rowCount() == browse.count(store, BrowseFilter())
    qtmodeltester.check(model, force_py=True)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    titles = [model.index(r, 1).data() for r in range(50)]
    assert titles == sorted(titles, key=str.lower)
    last = model.index(model.rowCount() - 1, 0)
    assert last.data(ID_ROLE)  # a jump to the last row is one query, not a scan
    assert model.window.blocks_cached <= 4
    model.set_filter(BrowseFilter(kinds=("case",)))
    assert {model.index(r, 0).data() for r in range(model.rowCount())} == {"case"}
    qtmodeltester.check(model, force_py=True)


def test_search_model_fetches_more(qtmodeltester, store: Store) -> None:
    model = SearchModel(store)
    model.set_filter(BrowseFilter(text="passport"), ranked=True)
    qtmodeltester.check(model, force_py=True)
    model = SearchModel(store)  # a fresh one: the tester above fetched everything
    model.set_filter(BrowseFilter(text="passport"), ranked=False)
    assert model.rowCount() == SearchModel.PAGE and model.has_more
    assert not model.canFetchMore()  # not before the analyst scrolls toward the end
    while model.has_more:
        model.index(model.rowCount() - 1, 1).data()
        assert model.canFetchMore()
        model.fetchMore(QModelIndex())
    assert model.rowCount() > SearchModel.PAGE
    ids = [model.item_id(r) for r in range(model.rowCount())]
    assert len(ids) == len(set(ids))


def test_case_tree_model(qtmodeltester, store: Store) -> None:
    model = CaseTreeModel(store)
    qtmodeltester.check(model, force_py=True)
    case = model.index(0, 0)
    assert case.data(CASE_ROLE).startswith("CAS-")
    model.fetchMore(case)
    assert model.rowCount(case) > 0
    qtmodeltester.check(model, force_py=True)


def test_audit_model(qtmodeltester, store: Store) -> None:
    model = AuditModel(store)
    qtmodeltester.check(model, force_py=True)
    assert int(model.index(0, 0).data()) > int(model.index(1, 0).data())
