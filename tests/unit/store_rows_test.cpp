// model::Store over real SQLite files: communities, parties, users, meetings, sessions, the
// pragmas, concurrent writers and the event hash (items and events: store_test.cpp).
#include "StoreTestKit.h"

namespace liufang::model {
namespace {

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
