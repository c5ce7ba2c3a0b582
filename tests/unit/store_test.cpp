// model::Store over real SQLite files in a fresh temporary folder per test.
#include "model/Store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <random>
#include <thread>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "model/Hash.h"

namespace liufang::model {
namespace {

namespace fs = std::filesystem;

using testkit::queryOne;
using testkit::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open(Synchronous sync = Synchronous::Full) {
    store_.reset();
    StoreOptions o;
    o.path = dir_.file("sub/folder/liufang.db");  // parent folders do not exist yet
    o.synchronous = sync;
    o.poolSize = 4;
    store_ = openSqliteStore(o);
  }
  std::string dbPath() const { return dir_.file("sub/folder/liufang.db"); }

  int64_t community(const std::string& code = "taoyuanju") {
    Community c;
    c.code = code;
    c.name = code + "社区";
    return store_->addCommunity(c);
  }

  // Inserts an item and its first event, committed; returns the stored id.
  int64_t insert(Item item) {
    auto tx = store_->beginWrite();
    tx->insertItem(item);
    EventRecord e;
    e.streamId = item.id;
    e.seq = 1;
    e.at = "2026-03-01T08:00:00.000Z";
    e.type = "propose";
    e.payload = "{}";
    e.toState = item.state;
    e.prevHash = genesisHash(item.id);
    e.hash = eventHash(e);
    tx->appendEvent(e);
    tx->commit();
    return item.id;
  }

  Item simpleItem(int64_t communityId, const std::string& title, const std::string& state,
                  const std::string& party = "wuye") {
    Item i;
    i.communityId = communityId;
    i.title = title;
    i.state = state;
    i.proposerParty = party;
    i.version = 1;
    return i;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// Every field set to something other than its default.
Item fullItem(int64_t communityId) {
  Item i;
  i.communityId = communityId;
  i.title = "小区东门路灯不亮 'quoted' \"double\"";
  i.description = "多行\n说明 <b>bold</b> 100%_done";
  i.proposerParty = "yeweihui";
  i.proposerUser = 7;
  i.state = "deadline.due_soon";
  i.outcome = "resolved";
  i.response = "已修复";
  i.decision = "物业牵头维修";
  i.handlers = {{"wuye", true, false}, {"juweihui", false, true}, {"gongyi", false, false}};
  i.standard = "三日内恢复照明";
  i.due = "2026-03-10";
  i.extensionDue = "2026-03-17";
  i.extensionReason = "等待配件";
  i.result = "更换灯具";
  i.rating = "basically_satisfied";
  i.ratingComment = "有点慢";
  i.urgeCount = 2;
  i.escalated = true;
  i.reworkCount = 1;
  i.meetingId = 3;
  i.mergedInto = 4;
  i.createdAt = "2026-03-01T08:00:00.000Z";
  i.updatedAt = "2026-03-05T09:30:00.250Z";
  i.assignedAt = "2026-03-02T10:00:00.000Z";
  i.submittedAt = "2026-03-04T11:00:00.000Z";
  i.closedAt = "2026-03-05T09:30:00.250Z";
  i.positions = {{"yeweihui", "support", "业主迫切", "2026-03-01T09:00:00.000Z", 7},
                 {"dangwei", "supplement", "注意安全", "2026-03-01T09:05:00.000Z", 1}};
  i.version = 1;
  i.lastHash = std::string(64, 'a');
  return i;
}

void expectSameItem(const Item& a, const Item& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.communityId, b.communityId);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.proposerParty, b.proposerParty);
  EXPECT_EQ(a.proposerUser, b.proposerUser);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.response, b.response);
  EXPECT_EQ(a.decision, b.decision);
  ASSERT_EQ(a.handlers.size(), b.handlers.size());
  for (size_t k = 0; k < a.handlers.size(); ++k) {
    EXPECT_EQ(a.handlers[k].party, b.handlers[k].party) << k;
    EXPECT_EQ(a.handlers[k].lead, b.handlers[k].lead) << k;
    EXPECT_EQ(a.handlers[k].done, b.handlers[k].done) << k;
  }
  EXPECT_EQ(a.standard, b.standard);
  EXPECT_EQ(a.due, b.due);
  EXPECT_EQ(a.extensionDue, b.extensionDue);
  EXPECT_EQ(a.extensionReason, b.extensionReason);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.rating, b.rating);
  EXPECT_EQ(a.ratingComment, b.ratingComment);
  EXPECT_EQ(a.urgeCount, b.urgeCount);
  EXPECT_EQ(a.escalated, b.escalated);
  EXPECT_EQ(a.reworkCount, b.reworkCount);
  EXPECT_EQ(a.meetingId, b.meetingId);
  EXPECT_EQ(a.mergedInto, b.mergedInto);
  EXPECT_EQ(a.createdAt, b.createdAt);
  EXPECT_EQ(a.updatedAt, b.updatedAt);
  EXPECT_EQ(a.assignedAt, b.assignedAt);
  EXPECT_EQ(a.submittedAt, b.submittedAt);
  EXPECT_EQ(a.closedAt, b.closedAt);
  ASSERT_EQ(a.positions.size(), b.positions.size());
  for (size_t k = 0; k < a.positions.size(); ++k) {
    EXPECT_EQ(a.positions[k].party, b.positions[k].party) << k;
    EXPECT_EQ(a.positions[k].stance, b.positions[k].stance) << k;
    EXPECT_EQ(a.positions[k].reason, b.positions[k].reason) << k;
    EXPECT_EQ(a.positions[k].at, b.positions[k].at) << k;
    EXPECT_EQ(a.positions[k].userId, b.positions[k].userId) << k;
  }
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.lastHash, b.lastHash);
}

std::vector<std::string> titles(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.title);
  return out;
}

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

TEST_F(StoreTest, CommunitiesAndPartiesRoundTrip) {
  Community c;
  c.code = "taoyuanju";
  c.name = "桃源居社区";
  c.timeZone = "Asia/Urumqi";
  c.utcOffsetMinutes = 360;
  const int64_t id = store_->addCommunity(c);
  EXPECT_EQ(c.id, id);
  Community dup;
  dup.code = "taoyuanju";
  dup.name = "another";
  EXPECT_THROW(store_->addCommunity(dup), Conflict);

  open();
  auto found = store_->findCommunity(id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->code, "taoyuanju");
  EXPECT_EQ(found->name, "桃源居社区");
  EXPECT_EQ(found->timeZone, "Asia/Urumqi");
  EXPECT_EQ(found->utcOffsetMinutes, 360);
  EXPECT_FALSE(store_->findCommunity(id + 1));
  EXPECT_EQ(store_->communities().size(), 1u);

  const std::vector<std::pair<std::string, int>> roster = {
      {"wuye", 5}, {"dangwei", 1}, {"juweihui", 3}};
  for (const auto& [code, order] : roster) {
    Party p;
    p.communityId = id;
    p.code = code;
    p.name = code + "方";
    p.sortOrder = order;
    EXPECT_GT(store_->addParty(p), 0);
  }
  Party dupParty;
  dupParty.communityId = id;
  dupParty.code = "wuye";
  dupParty.name = "again";
  EXPECT_THROW(store_->addParty(dupParty), Conflict);
  // foreign_keys=ON is in effect: a roster entry for no community is refused.
  Party orphan;
  orphan.communityId = id + 50;
  orphan.code = "wuye";
  orphan.name = "orphan";
  EXPECT_THROW(store_->addParty(orphan), NotFound);

  auto parties = store_->parties(id);
  ASSERT_EQ(parties.size(), 3u);
  EXPECT_EQ(parties[0].code, "dangwei");
  EXPECT_EQ(parties[1].code, "juweihui");
  EXPECT_EQ(parties[2].code, "wuye");
  EXPECT_EQ(parties[2].name, "wuye方");
  EXPECT_EQ(parties[2].sortOrder, 5);
  EXPECT_EQ(parties[2].communityId, id);
}

TEST_F(StoreTest, UsersRoundTrip) {
  const int64_t cid = community();
  User u;
  u.username = "zhang";
  u.displayName = "张书记";
  u.communityId = cid;
  u.party = "dangwei";
  u.convener = true;
  u.representative = true;
  u.passwordHash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
  u.locale = "en";
  const int64_t id = store_->addUser(u);
  EXPECT_EQ(u.id, id);

  User supervisor;
  supervisor.username = "li";
  supervisor.supervisor = true;
  supervisor.disabled = true;
  store_->addUser(supervisor);  // no community: stored as NULL, read back as 0

  User dup;
  dup.username = "zhang";
  EXPECT_THROW(store_->addUser(dup), Conflict);

  open();
  auto found = store_->findUserByName("zhang");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->displayName, "张书记");
  EXPECT_EQ(found->communityId, cid);
  EXPECT_EQ(found->party, "dangwei");
  EXPECT_TRUE(found->convener);
  EXPECT_TRUE(found->representative);
  EXPECT_FALSE(found->supervisor);
  EXPECT_FALSE(found->disabled);
  EXPECT_EQ(found->passwordHash, u.passwordHash);
  EXPECT_EQ(found->locale, "en");
  auto li = store_->findUser(supervisor.id);
  ASSERT_TRUE(li);
  EXPECT_EQ(li->communityId, 0);
  EXPECT_TRUE(li->supervisor);
  EXPECT_TRUE(li->disabled);
  EXPECT_EQ(queryOne(dbPath(), "SELECT COUNT(*) FROM users WHERE community_id IS NULL"), "1");
  EXPECT_FALSE(store_->findUserByName("nobody"));
  EXPECT_FALSE(store_->findUser(999));
  EXPECT_EQ(store_->users().size(), 2u);

  found->displayName = "张三";
  found->convener = false;
  found->communityId = 0;
  store_->updateUser(*found);
  auto updated = store_->findUser(id);
  EXPECT_EQ(updated->displayName, "张三");
  EXPECT_FALSE(updated->convener);
  EXPECT_EQ(updated->communityId, 0);

  updated->username = "li";  // taken
  EXPECT_THROW(store_->updateUser(*updated), Conflict);
  User ghost;
  ghost.id = 999;
  ghost.username = "ghost";
  EXPECT_THROW(store_->updateUser(ghost), NotFound);
}

TEST_F(StoreTest, LoginFailuresCountAndClear) {
  User u;
  u.username = "wang";
  const int64_t id = store_->addUser(u);
  EXPECT_EQ(store_->loginFailures(id), (std::pair<int, std::string>{0, ""}));
  store_->recordLoginFailure(id, "2026-03-01T08:00:00.000Z");
  store_->recordLoginFailure(id, "2026-03-01T08:00:05.000Z");
  EXPECT_EQ(store_->loginFailures(id),
            (std::pair<int, std::string>{2, "2026-03-01T08:00:05.000Z"}));
  store_->clearLoginFailures(id);
  EXPECT_EQ(store_->loginFailures(id), (std::pair<int, std::string>{0, ""}));
  EXPECT_EQ(store_->loginFailures(999), (std::pair<int, std::string>{0, ""}));
}

TEST_F(StoreTest, MeetingsRoundTripNewestFirst) {
  const int64_t cid = community();
  Meeting m;
  m.communityId = cid;
  m.title = "三月例会";
  m.date = "2026-03-05";
  m.location = "党群服务中心";
  const int64_t first = store_->addMeeting(m);
  Meeting adhoc;
  adhoc.communityId = cid;
  adhoc.title = "临时会议";
  adhoc.kind = "adhoc";
  adhoc.date = "2026-03-20";
  store_->addMeeting(adhoc);
  Meeting orphan;
  orphan.communityId = cid + 9;
  orphan.title = "nowhere";
  EXPECT_THROW(store_->addMeeting(orphan), NotFound);

  m.id = first;
  m.minutes = "一、路灯问题交物业办理。";
  m.published = true;
  m.state = "minutes_published";
  m.version = 7;
  m.agenda = {5, 3};
  m.attendance = {{"wuye", "present", "刘经理"}, {"gongyi", "excused", ""}};
  m.signatures = {{"wuye", 4, "2026-03-05T02:00:00.000Z", "同意"}};
  m.errata = {{"第二项日期更正为3月6日。", 1, "2026-03-06T02:00:00.000Z"}};
  {
    auto tx = store_->beginWrite();
    tx->updateMeeting(m, 0, true);
    tx->commit();
  }
  open();
  auto found = store_->findMeeting(first);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->title, "三月例会");
  EXPECT_EQ(found->kind, "regular");
  EXPECT_EQ(found->date, "2026-03-05");
  EXPECT_EQ(found->location, "党群服务中心");
  EXPECT_EQ(found->minutes, "一、路灯问题交物业办理。");
  EXPECT_TRUE(found->published);
  EXPECT_EQ(found->state, "minutes_published");
  EXPECT_EQ(found->version, 7);
  EXPECT_EQ(found->agenda, (std::vector<int64_t>{5, 3})) << "agenda order is kept";
  ASSERT_EQ(found->attendance.size(), 2u);
  EXPECT_EQ(found->attendance[0].delegate, "刘经理");
  EXPECT_EQ(found->attendance[1].status, "excused");
  ASSERT_EQ(found->signatures.size(), 1u);
  EXPECT_EQ(found->signatures[0].note, "同意");
  ASSERT_EQ(found->errata.size(), 1u);
  EXPECT_EQ(found->errata[0].userId, 1);
  EXPECT_EQ(store_->meetingsWithItem(3), (std::vector<int64_t>{first}));
  EXPECT_FALSE(store_->findMeeting(999));
  auto list = store_->meetings(cid);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].title, "临时会议");
  EXPECT_EQ(list[0].kind, "adhoc");
  EXPECT_EQ(list[1].title, "三月例会");
  Meeting stale = m;  // version 0 is no longer the stored one
  auto tx = store_->beginWrite();
  EXPECT_THROW(tx->updateMeeting(stale, 0, false), Conflict);
}

TEST_F(StoreTest, WebSessionsRoundTrip) {
  User u;
  u.username = "zhao";
  const int64_t uid = store_->addUser(u);
  WebSession s;
  s.tokenHash = sha256Hex("token-1");
  s.userId = uid;
  s.csrfToken = "csrf-1";
  s.createdAt = "2026-03-01T08:00:00.000Z";
  s.lastSeenAt = "2026-03-01T08:00:00.000Z";
  s.locale = "zh_CN";
  store_->saveSession(s);
  WebSession old = s;
  old.tokenHash = sha256Hex("token-2");
  old.lastSeenAt = "2026-02-01T08:00:00.000Z";
  store_->saveSession(old);

  auto found = store_->findSession(s.tokenHash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->userId, uid);
  EXPECT_EQ(found->csrfToken, "csrf-1");
  EXPECT_EQ(found->createdAt, s.createdAt);
  EXPECT_EQ(found->locale, "zh_CN");

  s.csrfToken = "csrf-rotated";  // saving again replaces
  s.locale = "en";
  store_->saveSession(s);
  store_->touchSession(s.tokenHash, "2026-03-01T09:00:00.000Z");
  found = store_->findSession(s.tokenHash);
  EXPECT_EQ(found->csrfToken, "csrf-rotated");
  EXPECT_EQ(found->locale, "en");
  EXPECT_EQ(found->lastSeenAt, "2026-03-01T09:00:00.000Z");

  store_->deleteSessionsSeenBefore("2026-03-01T00:00:00.000Z");
  EXPECT_FALSE(store_->findSession(old.tokenHash));
  EXPECT_TRUE(store_->findSession(s.tokenHash));
  store_->deleteSession(s.tokenHash);
  EXPECT_FALSE(store_->findSession(s.tokenHash));
}

TEST_F(StoreTest, PragmasAreInEffect) {
  auto settings = store_->settings();
  const auto value = [&](const std::string& name) {
    for (const auto& [k, v] : settings)
      if (k == name) return v;
    return std::string("(missing)");
  };
  EXPECT_EQ(value("journal_mode"), "wal");
  EXPECT_EQ(value("synchronous"), "full");
  EXPECT_EQ(value("foreign_keys"), "1");
  EXPECT_EQ(value("busy_timeout"), "5000");
  // WAL is a property of the file: a second, unrelated connection sees it too.
  EXPECT_EQ(queryOne(dbPath(), "PRAGMA journal_mode"), "wal");

  open(Synchronous::Normal);
  settings = store_->settings();
  EXPECT_EQ(value("synchronous"), "normal");
}

TEST_F(StoreTest, ConcurrentWritersAllSucceed) {
  const int64_t cid = community();
  constexpr int kThreads = 4, kWrites = 25;
  std::vector<int64_t> ids;
  for (int t = 0; t < kThreads; ++t) ids.push_back(insert(simpleItem(cid, "t", "proposal")));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int k = 0; k < kWrites; ++k) {
          auto tx = store_->beginWrite();
          Item item = *tx->loadItem(ids[t]);
          const int64_t old = item.version;
          item.version = old + 1;
          EventRecord e;
          e.streamId = item.id;
          e.seq = item.version;
          e.at = "2026-03-01T08:00:00.000Z";
          e.type = "report_progress";
          e.prevHash = item.lastHash;
          e.hash = eventHash(e);
          item.lastHash = e.hash;
          tx->appendEvent(e);
          tx->updateItem(item, old, false, false);
          tx->commit();
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  for (int64_t id : ids) {
    EXPECT_EQ(store_->findItem(id)->version, 1 + kWrites);
    EXPECT_EQ(store_->events(id).size(), 1u + kWrites);
  }
}

TEST(Hash, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(genesisHash(42), sha256Hex("liufang:item:42"));
  EXPECT_NE(genesisHash(42), genesisHash(43));
}

TEST(Hash, EventHashCoversEveryField) {
  EventRecord base;
  base.streamId = 1;
  base.seq = 2;
  base.at = "2026-03-01T08:00:00.000Z";
  base.actorUser = 3;
  base.actorParty = "wuye";
  base.type = "report_progress";
  base.payload = R"({"text":"x"})";
  base.fromState = "deadline.on_track";
  base.toState = "deadline.on_track";
  base.prevHash = genesisHash(1);
  const std::string h = eventHash(base);
  EXPECT_EQ(h, sha256Hex(base.prevHash + "\x1f" + "1\x1f" + "2\x1f" + base.at + "\x1f" + "3\x1f" +
                         "wuye\x1f" + "report_progress\x1f" + base.payload + "\x1f" +
                         base.fromState + "\x1f" + base.toState));
  const std::vector<std::function<void(EventRecord&)>> edits = {
      [](EventRecord& e) { e.streamId = 9; },      [](EventRecord& e) { e.seq = 9; },
      [](EventRecord& e) { e.at += "x"; },         [](EventRecord& e) { e.actorUser = 9; },
      [](EventRecord& e) { e.actorParty += "x"; }, [](EventRecord& e) { e.type += "x"; },
      [](EventRecord& e) { e.payload += "x"; },    [](EventRecord& e) { e.fromState += "x"; },
      [](EventRecord& e) { e.toState += "x"; },    [](EventRecord& e) { e.prevHash += "x"; },
  };
  for (size_t k = 0; k < edits.size(); ++k) {
    EventRecord e = base;
    edits[k](e);
    EXPECT_NE(eventHash(e), h) << "edit " << k;
  }
  EventRecord withHash = base;
  withHash.hash = "ignored";  // the hash column is not part of its own input
  EXPECT_EQ(eventHash(withHash), h);
}

}  // namespace
}  // namespace liufang::model
