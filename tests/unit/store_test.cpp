// model::Store over real SQLite files in a fresh temporary folder per test: items, events,
// transactions and item lists (the other rows: store_rows_test.cpp).
#include "StoreTestKit.h"

namespace liufang::model {
namespace {

TEST_F(StoreTest, ItemAndEventSurviveReopen) {
  Item item = fullItem(community());
  EventRecord e;
  {
    auto tx = store_->beginWrite();
    const int64_t id = tx->insertItem(item);
    EXPECT_GT(id, 0);
    EXPECT_EQ(item.id, id);
    e.streamId = id;
    e.seq = 1;
    e.at = "2026-03-01T08:00:00.000Z";
    e.actorUser = 7;
    e.actorParty = "yeweihui";
    e.type = "propose";
    e.payload = R"({"description":"多行","party":"yeweihui","title":"<script>x</script>"})";
    e.fromState = "";
    e.toState = "proposal";
    e.prevHash = genesisHash(id);
    e.hash = eventHash(e);
    tx->appendEvent(e);
    tx->commit();
  }
  open();  // a new store object: everything comes from the file

  auto found = store_->findItem(item.id);
  ASSERT_TRUE(found);
  expectSameItem(item, *found);
  {
    auto tx = store_->beginWrite();
    auto loaded = tx->loadItem(item.id);
    ASSERT_TRUE(loaded);
    expectSameItem(item, *loaded);
    EXPECT_FALSE(tx->loadItem(item.id + 100));
  }
  auto listed = store_->listItems({});
  ASSERT_EQ(listed.size(), 1u);
  expectSameItem(item, listed[0]);

  auto log = store_->events(item.id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].streamId, e.streamId);
  EXPECT_EQ(log[0].seq, e.seq);
  EXPECT_EQ(log[0].at, e.at);
  EXPECT_EQ(log[0].actorUser, e.actorUser);
  EXPECT_EQ(log[0].actorParty, e.actorParty);
  EXPECT_EQ(log[0].type, e.type);
  EXPECT_EQ(log[0].payload, e.payload);
  EXPECT_EQ(log[0].fromState, e.fromState);
  EXPECT_EQ(log[0].toState, e.toState);
  EXPECT_EQ(log[0].prevHash, e.prevHash);
  EXPECT_EQ(log[0].hash, e.hash);
  EXPECT_EQ(eventHash(log[0]), log[0].hash);
  EXPECT_EQ(store_->itemIds(), std::vector<int64_t>{item.id});
}

TEST_F(StoreTest, UpdateWritesProjectionAndBumpsVersion) {
  const int64_t id = insert(simpleItem(community(), "路灯", "proposal"));
  {
    auto tx = store_->beginWrite();
    Item item = *tx->loadItem(id);
    item.state = "discussion";
    item.version = 2;
    item.positions = {{"wuye", "oppose", "预算不足", "2026-03-02T00:00:00.000Z", 5}};
    tx->updateItem(item, 1, false, true);
    tx->commit();
  }
  auto item = store_->findItem(id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->state, "discussion");
  EXPECT_EQ(item->version, 2);
  ASSERT_EQ(item->positions.size(), 1u);
  EXPECT_EQ(item->positions[0].reason, "预算不足");
}

TEST_F(StoreTest, ChildrenAreRewrittenOnlyWhenFlagged) {
  Item original = simpleItem(community(), "路灯", "deadline.on_track");
  original.handlers = {{"wuye", true, false}};
  original.positions = {{"wuye", "support", "", "2026-03-02T00:00:00.000Z", 5}};
  const int64_t id = insert(original);
  {
    auto tx = store_->beginWrite();
    Item item = *tx->loadItem(id);
    item.handlers = {{"juweihui", true, false}};
    item.positions.clear();
    item.version = 2;
    tx->updateItem(item, 1, false, false);  // children changed but not flagged: kept
    tx->commit();
  }
  auto kept = store_->findItem(id);
  ASSERT_EQ(kept->handlers.size(), 1u);
  EXPECT_EQ(kept->handlers[0].party, "wuye");
  EXPECT_EQ(kept->positions.size(), 1u);
  {
    auto tx = store_->beginWrite();
    Item item = *tx->loadItem(id);
    item.handlers = {{"juweihui", true, false}, {"wuye", false, true}};
    item.positions.clear();
    item.version = 3;
    tx->updateItem(item, 2, true, true);
    tx->commit();
  }
  auto rewritten = store_->findItem(id);
  ASSERT_EQ(rewritten->handlers.size(), 2u);
  EXPECT_EQ(rewritten->lead(), "juweihui");
  EXPECT_EQ(rewritten->co(), std::vector<std::string>{"wuye"});
  EXPECT_TRUE(rewritten->handlers[1].done);
  EXPECT_TRUE(rewritten->positions.empty());
}

TEST_F(StoreTest, StaleVersionIsConflict) {
  const int64_t id = insert(simpleItem(community(), "路灯", "proposal"));
  // Two writers read version 1; the first to commit wins, the second is told so.
  Item first, second;
  {
    auto tx = store_->beginWrite();
    first = *tx->loadItem(id);
  }
  second = first;
  {
    auto tx = store_->beginWrite();
    first.title = "first";
    first.version = 2;
    tx->updateItem(first, 1, false, false);
    tx->commit();
  }
  {
    auto tx = store_->beginWrite();
    second.title = "second";
    second.version = 2;
    EXPECT_THROW(tx->updateItem(second, 1, false, false), Conflict);
  }
  EXPECT_EQ(store_->findItem(id)->title, "first");
  EXPECT_EQ(store_->findItem(id)->version, 2);
}

TEST_F(StoreTest, DuplicateEventSeqIsConflict) {
  const int64_t id = insert(simpleItem(community(), "路灯", "proposal"));
  auto tx = store_->beginWrite();
  EventRecord e;
  e.streamId = id;
  e.seq = 1;  // insert() already wrote seq 1
  e.at = "2026-03-02T00:00:00.000Z";
  e.type = "take_up";
  e.prevHash = "x";
  e.hash = "y";
  EXPECT_THROW(tx->appendEvent(e), Conflict);
}

TEST_F(StoreTest, EachKindAndIdIsAStreamOfItsOwn) {
  const int64_t id = insert(simpleItem(community(), "路灯", "proposal"));
  {
    auto tx = store_->beginWrite();
    EventRecord e;
    e.kind = "meeting";
    e.streamId = id;  // the same number as the item: another stream all the same
    e.seq = 1;        // the item already has a seq 1; no clash across kinds
    e.at = "2026-03-02T00:00:00.000Z";
    e.type = "schedule";
    e.prevHash = genesisHash(StreamRef{"meeting", id});
    e.hash = "h";
    tx->appendEvent(e);
    tx->commit();
  }
  EXPECT_EQ(store_->events(StreamRef{"meeting", id}).size(), 1u);
  EXPECT_EQ(store_->events(StreamRef{"meeting", id}).front().type, "schedule");
  EXPECT_EQ(store_->events(id).size(), 1u);
  EXPECT_EQ(store_->events(id).front().type, "propose");
  EXPECT_EQ(store_->streamIds("meeting"), std::vector<int64_t>{id});
  EXPECT_TRUE(store_->events(StreamRef{"meeting", id + 1}).empty());
  EXPECT_NE(genesisHash(StreamRef{"meeting", id}), genesisHash(id)) << "the genesis binds the kind";
}

TEST_F(StoreTest, DestroyedTransactionRollsBack) {
  const int64_t cid = community();
  const int64_t kept = insert(simpleItem(cid, "kept", "proposal"));
  {
    auto tx = store_->beginWrite();
    Item fresh = simpleItem(cid, "never committed", "proposal");
    fresh.handlers = {{"wuye", true, false}};
    tx->insertItem(fresh);
    EventRecord e;
    e.streamId = fresh.id;
    e.seq = 1;
    e.at = "2026-03-02T00:00:00.000Z";
    e.type = "propose";
    e.prevHash = "p";
    e.hash = "h";
    tx->appendEvent(e);
    Item changed = *tx->loadItem(kept);
    changed.title = "changed";
    changed.version = 2;
    tx->updateItem(changed, 1, false, false);
    // The transaction sees its own writes...
    EXPECT_EQ(tx->loadItem(kept)->title, "changed");
  }  // ...and destroying it without commit() drops them all.
  EXPECT_EQ(store_->itemIds(), std::vector<int64_t>{kept});
  EXPECT_EQ(store_->findItem(kept)->title, "kept");
  EXPECT_EQ(store_->findItem(kept)->version, 1);
  EXPECT_EQ(store_->events(kept).size(), 1u);
  EXPECT_EQ(queryOne(dbPath(), "SELECT COUNT(*) FROM item_handlers"), "0");
  EXPECT_EQ(queryOne(dbPath(), "SELECT COUNT(*) FROM stream_events"), "1");
  // The connection went back to the pool usable: a new write succeeds.
  insert(simpleItem(cid, "after", "proposal"));
  EXPECT_EQ(store_->itemIds().size(), 2u);
}

TEST_F(StoreTest, TransactionUsedAfterCommitIsRefused) {
  auto tx = store_->beginWrite();
  tx->commit();
  EXPECT_THROW(tx->loadItem(1), StorageError);
}

TEST_F(StoreTest, ListItemsFiltersByCommunityAndState) {
  const int64_t a = community("a"), b = community("b");
  insert(simpleItem(a, "a-proposal", "proposal"));
  insert(simpleItem(a, "a-ontrack", "deadline.on_track"));
  insert(simpleItem(a, "a-overdue", "deadline.overdue"));
  insert(simpleItem(b, "b-overdue", "deadline.overdue"));
  insert(simpleItem(a, "a-closed", "closed"));

  ItemQuery q;
  q.state = "deadline";  // top-level: every sub-state
  EXPECT_EQ(titles(store_->listItems(q)),
            (std::vector<std::string>{"b-overdue", "a-overdue", "a-ontrack"}));
  q.communityId = a;
  EXPECT_EQ(titles(store_->listItems(q)), (std::vector<std::string>{"a-overdue", "a-ontrack"}));
  q.state = "deadline.overdue";  // full: exactly that one
  EXPECT_EQ(titles(store_->listItems(q)), (std::vector<std::string>{"a-overdue"}));
  q.state = "dead";  // a prefix of a state name is not a state
  EXPECT_TRUE(store_->listItems(q).empty());
  q.state = "deadline_";  // LIKE wildcards in the state filter match literally
  EXPECT_TRUE(store_->listItems(q).empty());
  q.state = "";
  EXPECT_EQ(store_->listItems(q).size(), 4u);

  auto counts = store_->countByState(a);
  EXPECT_EQ(
      counts,
      (std::vector<std::pair<std::string, int64_t>>{
          {"closed", 1}, {"deadline.on_track", 1}, {"deadline.overdue", 1}, {"proposal", 1}}));
  auto all = store_->countByState(0);
  EXPECT_EQ(all[2], (std::pair<std::string, int64_t>{"deadline.overdue", 2}));
}

TEST_F(StoreTest, ListItemsFiltersByParty) {
  const int64_t cid = community();
  insert(simpleItem(cid, "proposed-by-wuye", "proposal", "wuye"));
  Item led = simpleItem(cid, "led-by-wuye", "deadline.on_track", "yeweihui");
  led.handlers = {{"wuye", true, false}, {"juweihui", false, false}};
  insert(led);
  Item co = simpleItem(cid, "co-handled-by-wuye", "deadline.on_track", "dangwei");
  co.handlers = {{"gongyi", true, false}, {"wuye", false, false}};
  insert(co);
  insert(simpleItem(cid, "unrelated", "proposal", "yeweihui"));

  ItemQuery q;
  q.party = "wuye";
  EXPECT_EQ(titles(store_->listItems(q)),
            (std::vector<std::string>{"co-handled-by-wuye", "led-by-wuye", "proposed-by-wuye"}));
  q.party = "juweihui";
  EXPECT_EQ(titles(store_->listItems(q)), (std::vector<std::string>{"led-by-wuye"}));
  q.party = "nobody";
  EXPECT_TRUE(store_->listItems(q).empty());
}

TEST_F(StoreTest, ListItemsMatchesTextLiterally) {
  const int64_t cid = community();
  insert(simpleItem(cid, "完成率100%", "proposal"));
  insert(simpleItem(cid, "完成率1000", "proposal"));
  insert(simpleItem(cid, "file_name", "proposal"));
  insert(simpleItem(cid, "fileXname", "proposal"));
  insert(simpleItem(cid, "O'Brien's \"gate\"", "proposal"));
  insert(simpleItem(cid, "<script>alert('x')</script>", "proposal"));
  insert(simpleItem(cid, "a!b", "proposal"));
  Item described = simpleItem(cid, "plain title", "proposal");
  described.description = "电梯 噪音 扰民";
  insert(described);

  const auto search = [&](const std::string& text) {
    ItemQuery q;
    q.text = text;
    return titles(store_->listItems(q));
  };
  EXPECT_EQ(search("100%"), std::vector<std::string>{"完成率100%"});
  EXPECT_EQ(search("%"), std::vector<std::string>{"完成率100%"});
  EXPECT_EQ(search("_"), std::vector<std::string>{"file_name"});
  EXPECT_EQ(search("e_n"), std::vector<std::string>{"file_name"});
  EXPECT_EQ(search("'s \"g"), std::vector<std::string>{"O'Brien's \"gate\""});
  EXPECT_EQ(search("<script>"), std::vector<std::string>{"<script>alert('x')</script>"});
  EXPECT_EQ(search("!"), std::vector<std::string>{"a!b"});
  EXPECT_EQ(search("噪音"), std::vector<std::string>{"plain title"});
  EXPECT_TRUE(search("' OR '1'='1").empty());
  // Stored verbatim, not escaped.
  ItemQuery q;
  q.text = "alert";
  auto found = store_->listItems(q);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(store_->findItem(found[0].id)->title, "<script>alert('x')</script>");
}

TEST_F(StoreTest, ListItemsPagesNewestFirstWithTotal) {
  const int64_t cid = community();
  for (int k = 1; k <= 7; ++k) insert(simpleItem(cid, "item" + std::to_string(k), "proposal"));
  insert(simpleItem(cid, "other", "closed"));

  ItemQuery q;
  q.state = "proposal";
  q.limit = 3;
  int64_t total = -1;
  EXPECT_EQ(titles(store_->listItems(q, &total)),
            (std::vector<std::string>{"item7", "item6", "item5"}));
  EXPECT_EQ(total, 7);
  q.offset = 6;
  total = -1;
  EXPECT_EQ(titles(store_->listItems(q, &total)), std::vector<std::string>{"item1"});
  EXPECT_EQ(total, 7);
  q.offset = 10;
  EXPECT_TRUE(store_->listItems(q, &total).empty());
  EXPECT_EQ(total, 7);
  q.offset = 0;
  q.limit = 0;  // no limit
  EXPECT_EQ(store_->listItems(q).size(), 7u);
}

}  // namespace
}  // namespace liufang::model
