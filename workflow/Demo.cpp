#include "workflow/Demo.h"

#include <Poco/JSON/Array.h>

#include <map>

#include "model/Calendar.h"
#include "workflow/Directory.h"
#include "workflow/Engine.h"
#include "workflow/ResidentDemo.h"

namespace liufang::workflow {
namespace {

// Passes the default PasswordPolicy (12 characters, not a dictionary word).
const char* kDemoPassword = "taoyuanju-2026";

struct Script {
  model::Store& store;
  model::ManualClock clock;
  Engine engine;
  model::Instant now;
  std::map<std::string, Actor> who;
  int64_t community = 0;
  std::chrono::minutes step{0};

  Script(model::Store& s, model::Instant n) : store(s), clock(n), engine(s, clock), now(n) {}

  // Moves the demo clock to `days` days before the real now (a minute later on each call, so
  // one day's events keep their order).
  void at(int days) {
    step += std::chrono::minutes(1);
    clock.set(now - std::chrono::hours(24 * days) - std::chrono::hours(2) + step);
  }
  model::Item propose(const std::string& user, const std::string& title,
                      const std::string& description) {
    Command c("propose");
    c.set("title", title).set("description", description).set("party", who.at(user).party);
    return engine.propose(community, c, who.at(user));
  }
  model::Item fire(int64_t id, const std::string& user, Command c) {
    return engine.apply(id, c, who.at(user));
  }
};

}  // namespace

std::vector<DemoAccount> createDemo(model::Store& store, model::Instant now) {
  Directory directory(store);
  const model::Community c = directory.addCommunity("taoyuanju", "桃源居社区");

  directory.applyPreset(c.code, "liufang");  // 社区党委 ... 业主委员会, with colours

  struct Person {
    std::string username, name, party, role;
    bool convener, rep, supervisor;
  };
  const std::vector<Person> people = {
      {"shuji", "李红梅（党委书记）", "dangwei", "召集人、社区党委代表", true, true, false},
      {"gongzuozhan", "王建国", "gongzuozhan", "社区工作站代表", false, true, false},
      {"juweihui", "张秀英", "juweihui", "社区居委会代表", false, true, false},
      {"gongyi", "陈晓明", "gongyi", "公益事业发展中心代表", false, true, false},
      {"wuye", "刘经理", "wuye", "物业公司代表", false, true, false},
      {"yeweihui", "赵志强", "yeweihui", "业主委员会代表", false, true, false},
      {"ducha", "孙督查（街道）", "", "督查员（全街道）", false, false, true},
  };
  std::vector<NewUser> newUsers;
  for (const auto& p : people)
    newUsers.push_back(
        {p.username, p.name, p.supervisor ? "" : c.code, p.party, p.convener, p.rep, p.supervisor});
  // One shared password, hashed once: init stays quick.
  const std::vector<model::User> users = directory.addUsers(newUsers, kDemoPassword);
  Script s(store, now);
  s.community = c.id;
  std::vector<DemoAccount> accounts;
  for (size_t i = 0; i < people.size(); ++i) {
    s.who[users[i].username] = Actor::fromUser(users[i]);
    accounts.push_back({people[i].username, kDemoPassword, people[i].role});
  }

  const int offset = c.utcOffsetMinutes;
  const model::Date today = model::localDate(now, offset);
  const auto& cal = model::HolidayCalendar::china();
  auto dateAgo = [&](int days) { return today.plusDays(-days).str(); };

  directory.setMeetingRule(c.code, "monthly:1:3", "09:30", "社区党群服务中心二楼会议室");
  // Meetings go through the Engine like items: scheduled, opened with attendance, adjourned,
  // minutes published from the log, signed.
  auto schedule = [&](const std::string& title, const std::string& date) {
    Command cmd("schedule");
    cmd.set("title", title).set("kind", "regular").set("date", date).set("time", "09:30");
    cmd.set("place", "社区党群服务中心二楼会议室");
    return s.engine.create("meeting", c.id, cmd, s.who.at("shuji")).as<model::Meeting>().id;
  };
  auto meetingEvent = [&](int64_t id, const std::string& user, Command cmd) {
    s.engine.apply(model::StreamRef{"meeting", id}, cmd, s.who.at(user));
  };
  auto agenda = [&](int64_t id, const std::vector<int64_t>& items) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (auto i : items) arr->add(i);
    meetingEvent(id, "shuji", Command("set_agenda").set("agenda", arr));
  };
  auto open = [&](int64_t id, const std::vector<std::pair<std::string, std::string>>& who) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& [party, status] : who) {
      Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
      row->set("party", party);
      row->set("status", status);
      arr->add(row);
    }
    meetingEvent(id, "shuji", Command("open").set("attendance", arr));
  };
  s.at(40);
  struct {
    int64_t id;
  } m1{schedule("十月六方联席例会", dateAgo(35))};
  auto takeUp = [&](int64_t id, int64_t meeting) {
    return s.fire(id, "shuji", Command("take_up").set("meeting", meeting));
  };
  auto position = [&](int64_t id, const std::string& user, const std::string& stance,
                      const std::string& reason) {
    s.fire(id, user, Command("log_position").set("stance", stance).set("reason", reason));
  };
  auto assign = [&](int64_t id, const std::string& lead, const std::string& co,
                    const std::string& standard, const std::string& due) {
    s.fire(id, "shuji",
           Command("assign")
               .set("lead", lead)
               .set("co", co)
               .set("standard", standard)
               .set("due", due));
  };

  // ---- October meeting: items now closed or in follow-up
  s.at(40);
  auto stairs =
      s.propose("juweihui", "楼道杂物堆放存在消防隐患",
                "居民反映5栋、7栋楼道长期堆放纸箱、旧家具和电动车，堵塞消防通道，存在火灾隐患。");
  auto meal = s.propose("gongyi", "建设老年人助餐点",
                        "社区60岁以上老人约1200人，独居老人用餐困难，建议在活动中心设立助餐点。");
  auto fee = s.propose("yeweihui", "建议在小区内开设收费停车场",
                       "部分业主建议将中心广场改为收费停车场，缓解停车压力。");
  auto green = s.propose("yeweihui", "绿化带改造为临时停车位",
                         "北门绿化带长期无人打理，建议改造为临时停车位。");
  auto play = s.propose("juweihui", "儿童游乐设施维修", "中心花园滑梯螺丝松动，存在安全隐患。");
  s.at(36);
  agenda(m1.id, {stairs.id, meal.id, fee.id, green.id});
  s.at(35);
  open(m1.id, {{"dangwei", "present"},
               {"gongzuozhan", "present"},
               {"juweihui", "present"},
               {"gongyi", "present"},
               {"wuye", "present"},
               {"yeweihui", "present"}});
  for (auto id : {stairs.id, meal.id, fee.id, green.id}) takeUp(id, m1.id);
  // 先民主讨论: every party present speaks on every item before the decision.
  position(stairs.id, "wuye", "support", "物业可组织集中清理，需要居委会配合入户宣传。");
  position(stairs.id, "juweihui", "supplement", "建议同步开展消防安全宣传。");
  position(stairs.id, "shuji", "support", "消防安全无小事，同意集中清理。");
  position(stairs.id, "gongzuozhan", "support", "工作站可协调消防部门现场指导。");
  position(stairs.id, "gongyi", "supplement", "可组织志愿者协助老人搬运杂物。");
  position(stairs.id, "yeweihui", "support", "业委会支持，并在业主群发布通知。");
  position(meal.id, "gongyi", "support", "公益中心有社会组织合作资源，可牵头筹建。");
  position(meal.id, "gongzuozhan", "support", "可协助申请街道养老服务补贴。");
  position(meal.id, "shuji", "support", "助老是民生实事，支持。");
  position(meal.id, "juweihui", "supplement", "请先摸清独居老人名单和用餐需求。");
  position(meal.id, "wuye", "abstain", "场地属社区，物业不涉及。");
  position(meal.id, "yeweihui", "support", "支持，建议价格公示。");
  position(fee.id, "shuji", "oppose", "中心广场是居民活动场所，不宜改作停车场。");
  position(fee.id, "juweihui", "oppose", "老年居民晨练、广场舞均在此处。");
  position(fee.id, "gongzuozhan", "oppose", "改变公共场地用途须经业主大会表决，条件不具备。");
  position(fee.id, "gongyi", "oppose", "广场承载社区文化活动。");
  position(fee.id, "wuye", "abstain", "尊重业主意见。");
  position(fee.id, "yeweihui", "support", "部分业主确有此诉求，建议另寻停车方案。");
  position(green.id, "wuye", "support", "可以改造，需业委会同意动用维修资金。");
  position(green.id, "yeweihui", "support", "业委会同意动用公共收益。");
  position(green.id, "shuji", "support", "同意，注意保留步行通道。");
  position(green.id, "juweihui", "supplement", "请征求北门周边居民意见。");
  position(green.id, "gongzuozhan", "support", "无异议。");
  position(green.id, "gongyi", "abstain", "不涉及。");
  s.fire(fee.id, "shuji",
         Command("dismiss").set(
             "response",
             "经六方会议讨论，中心广场为居民公共活动空间，不予改作收费停车场；停车问题另行研究。"));
  s.fire(stairs.id, "shuji",
         Command("resolve").set("decision", "由物业公司牵头、居委会配合，两周内完成楼道清理。"));
  s.fire(meal.id, "shuji",
         Command("resolve").set("decision", "由公益中心牵头筹建助餐点，工作站协助申请街道补贴。"));
  s.fire(green.id, "shuji",
         Command("resolve").set("decision", "由物业牵头改造北门绿化带为临时停车位。"));
  assign(stairs.id, "wuye", "juweihui", "楼道无杂物、消防通道畅通，居委会验收拍照", dateAgo(21));
  assign(meal.id, "gongyi", "gongzuozhan", "助餐点开业，每日供应午餐不少于100份", dateAgo(3));
  assign(green.id, "wuye", "", "完成改造并划线，新增车位不少于20个", dateAgo(20));
  s.fire(play.id, "juweihui",
         Command("withdraw").set("response", "物业已于当天紧固螺丝并检修，问题已解决，撤回提议。"));
  meetingEvent(m1.id, "shuji", Command("adjourn"));
  s.at(34);
  meetingEvent(m1.id, "shuji",
               Command("publish_minutes")
                   .set("preamble", "2026年十月六方联席例会由社区党委书记主持，六方代表全部到会。")
                   .set("closing", "会议要求各牵头单位按期办结，社区党委跟踪督办。"));
  for (const char* user : {"shuji", "gongzuozhan", "juweihui", "wuye", "yeweihui"})
    meetingEvent(m1.id, user, Command("sign_minutes"));

  s.at(30);
  s.fire(
      stairs.id, "juweihui",
      Command("report_progress").set("text", "已完成入户宣传，张贴清理通知。").set("done", true));
  s.fire(stairs.id, "wuye", Command("report_progress").set("text", "已清理5栋楼道，7栋清理中。"));
  s.at(24);
  s.fire(stairs.id, "wuye",
         Command("submit_result")
             .set("result", "5栋、7栋楼道杂物已全部清理，消防通道畅通，现场照片已上传。"));
  s.fire(green.id, "wuye",
         Command("submit_result").set("result", "北门绿化带已改造，新增临时车位22个。"));
  s.at(22);
  s.fire(stairs.id, "ducha", Command("accept").set("note", "现场核查属实。"));
  s.fire(green.id, "ducha", Command("accept").set("note", "已完成。"));
  s.at(20);
  s.fire(stairs.id, "juweihui",
         Command("rate").set("rating", "satisfied").set("comment", "清理及时，居民满意。"));
  s.fire(green.id, "yeweihui",
         Command("rate")
             .set("rating", "dissatisfied")
             .set("comment", "改造占用了老人散步的小路，部分业主有意见。"));

  // ---- November meeting: items in discussion, assignment and being handled
  s.at(18);
  auto parking = s.propose("yeweihui", "地下车库车位不足、外来车辆占位",
                           "晚间地下车库经常被外来车辆占用，业主回家找不到车位，希望加强管理。");
  auto parking2 =
      s.propose("wuye", "外来车辆进出管理", "门岗反映外来车辆登记困难，与停车难问题相关。");
  auto garbage = s.propose("juweihui", "垃圾分类投放点异味严重",
                           "3号投放点夏季异味大，居民投诉多，建议增加清运频次并改造投放点。");
  auto lift = s.propose("yeweihui", "3栋2单元电梯频繁故障",
                        "近一个月电梯故障停运4次，曾有老人被困，要求彻底检修。");
  auto lamp = s.propose("juweihui", "小区路灯损坏", "南区步道有6盏路灯不亮，夜间出行不安全。");
  auto falling = s.propose("gongzuozhan", "高空抛物隐患，需加装监控",
                           "12栋多次发生高空抛物，建议加装高空监控摄像头并开展宣传。");
  const int64_t m2 = schedule("十一月六方联席例会", dateAgo(14));
  agenda(m2, {parking.id, garbage.id, lift.id, lamp.id, falling.id});
  s.at(14);
  open(m2, {{"dangwei", "present"},
            {"gongzuozhan", "present"},
            {"juweihui", "present"},
            {"gongyi", "excused"},
            {"wuye", "present"},
            {"yeweihui", "present"}});
  for (auto id : {parking.id, garbage.id, lift.id, lamp.id, falling.id}) takeUp(id, m2);
  s.fire(parking2.id, "shuji",
         Command("merge")
             .set("into", parking.id)
             .set("response", "与“地下车库车位不足”问题合并办理。"));
  position(parking.id, "wuye", "supplement", "可加装车牌识别道闸，需业委会表决使用公共收益。");
  position(parking.id, "juweihui", "support", "支持加强外来车辆管理。");
  position(parking.id, "shuji", "support", "请业委会尽快组织业主表决。");
  position(garbage.id, "wuye", "support", "可以增加一次下午清运。");
  position(garbage.id, "juweihui", "support", "居委会配合做好分类宣传。");
  position(garbage.id, "shuji", "support", "同意。");
  position(garbage.id, "gongzuozhan", "supplement", "建议申请街道投放点改造资金。");
  position(garbage.id, "yeweihui", "support", "支持。");
  for (const char* user : {"juweihui", "shuji", "gongzuozhan", "yeweihui"})
    position(lift.id, user, "support", "电梯安全关系居民生命，支持彻底检修。");
  for (const char* user : {"wuye", "juweihui", "shuji", "gongzuozhan", "yeweihui"})
    position(lamp.id, user, "support", "尽快修复。");
  position(falling.id, "gongzuozhan", "support", "工作站牵头申请资金。");
  position(falling.id, "wuye", "supplement", "安装后接入物业监控室，需明确维护费用。");
  position(falling.id, "shuji", "support", "同意。");
  position(falling.id, "juweihui", "support", "同步开展文明宣传。");
  position(falling.id, "yeweihui", "support", "支持。");
  s.fire(garbage.id, "shuji",
         Command("resolve").set("decision", "物业增加清运频次，公益中心组织志愿者督导分类。"));
  position(lift.id, "wuye", "support", "已联系维保单位全面检修。");
  s.fire(lift.id, "shuji",
         Command("resolve").set("decision", "物业牵头彻底检修电梯，业委会监督维修资金使用。"));
  s.fire(lamp.id, "shuji", Command("resolve").set("decision", "物业负责更换损坏路灯。"));
  s.fire(falling.id, "shuji",
         Command("resolve").set("decision", "工作站牵头申请加装高空监控，物业配合施工。"));
  assign(lift.id, "wuye", "yeweihui", "完成检修并取得特种设备检验合格报告，一个月内无故障",
         cal.addWorkingDays(today, 15).str());
  assign(lamp.id, "wuye", "", "6盏路灯全部恢复照明", cal.addWorkingDays(today, 1).str());
  assign(falling.id, "gongzuozhan", "wuye", "12栋加装高空监控并接入物业监控室", dateAgo(5));
  meetingEvent(m2, "shuji", Command("adjourn").set("note", "停车问题待业委会组织业主表决后再议。"));
  s.at(13);
  meetingEvent(m2, "shuji",
               Command("publish_minutes")
                   .set("preamble", "2026年十一月六方联席例会由社区党委书记主持，公益事业发展中心请假。"));
  for (const char* user : {"shuji", "wuye"}) meetingEvent(m2, user, Command("sign_minutes"));

  // ---- the last fortnight: progress, extensions, urging
  s.at(8);
  s.fire(
      lift.id, "wuye",
      Command("report_progress").set("text", "维保单位已更换曳引机钢丝绳，正在等待控制柜配件。"));
  s.fire(falling.id, "wuye",
         Command("report_progress").set("text", "已完成现场勘查，确定6个安装点位。"));
  s.at(6);
  s.fire(meal.id, "gongzuozhan",
         Command("report_progress").set("text", "街道补贴已批复。").set("done", true));
  s.at(5);
  s.fire(meal.id, "gongyi",
         Command("submit_result")
             .set("result", "助餐点已于本周一开业，每日供应午餐120份，独居老人可送餐上门。"));
  s.fire(lift.id, "wuye",
         Command("request_extension")
             .set("reason", "控制柜配件需从厂家订货，预计到货需三周。")
             .set("due", cal.addWorkingDays(today, 25).str()));
  s.at(3);
  s.fire(falling.id, "ducha",
         Command("urge").set("note", "已逾期，请工作站说明进度并尽快完成安装。"));
  s.at(1);
  s.fire(falling.id, "ducha",
         Command("escalate").set("note", "涉及居民人身安全，列入街道挂牌督办。"));

  // ---- new proposals waiting for the December meeting
  s.at(2);
  auto dog = s.propose("yeweihui", "小区内遛狗不牵绳问题",
                       "多名业主反映有人遛狗不牵绳、不清理粪便，儿童受到惊吓，建议加强文明养犬管理。");
  auto dance = s.propose("juweihui", "夜间广场舞噪音扰民",
                         "中心广场广场舞音响声音过大，持续到晚上十点，影响周边居民休息。");
  // The December meeting, scheduled today: the carried-over parking item and the new ones.
  s.clock.set(now);
  const int64_t m3 = schedule("十二月六方联席例会", today.plusDays(7).str());
  agenda(m3, {parking.id, dog.id, dance.id});

  // Residents' requests in each state (workflow/ResidentDemo.cpp).
  addDemoRequests(store, s.engine, s.clock, now, c.id, s.who, lamp.id);

  // Bring the lights up to the real today.
  s.clock.set(now);
  s.engine.sweep();
  // Marks the database as a demo: `serve --now` (a demo clock) runs on it and nothing else.
  store.setInstanceFlag("demo", "1");
  return accounts;
}

}  // namespace liufang::workflow
