#include "workflow/ResidentDemo.h"

#include <chrono>

namespace liufang::workflow {

Actor residentActor(const std::string& requestId) {
  Actor a;
  a.username = "resident";
  a.requestId = requestId;
  return a;
}

void addDemoRequests(model::Store& store, Engine& engine, model::ManualClock& clock,
                     model::Instant now, int64_t communityId,
                     const std::map<std::string, Actor>& who, int64_t existingItem) {
  store.setRequestPrefix(communityId, "TYJ");
  auto at = [&](int days, int minute) {
    clock.set(now - std::chrono::hours(24 * days) - std::chrono::hours(3) +
              std::chrono::minutes(minute));
  };
  auto submit = [&](const std::string& title, const std::string& description,
                    const std::string& location, const std::string& contact) {
    Command c("submit");
    c.set("title", title).set("description", description);
    if (!location.empty()) c.set("location", location);
    if (!contact.empty()) c.set("contact", contact);
    return engine.create("request", communityId, c, residentActor()).stream;
  };
  const Actor& shuji = who.at("shuji");
  const Actor& juweihui = who.at("juweihui");

  at(19, 0);
  auto lamp =
      submit("南区步道晚上太黑", "南区步道好几盏路灯不亮，晚上带孩子走很害怕。", "南区步道", "");
  at(17, 0);
  engine.apply(lamp,
               Command("screen")
                   .set("item", existingItem)
                   .set("reply", "已并入六方会议议题“小区路灯损坏”，由物业公司限期更换。"),
               juweihui);

  at(9, 0);
  auto card = submit("医保卡在哪里办理", "家里老人医保卡丢了，请问社区能不能补办？", "", "");
  at(8, 0);
  engine.apply(card,
               Command("answer").set("reply",
                                     "医保卡补办由街道社保服务中心受理（街道办一楼3号窗口，工作日"
                                     "9:00-17:00），不属于社区受理范围；居委会可协助预约。"),
               juweihui);

  at(6, 0);
  auto spam = submit("低价代开发票", "代开各类发票，联系微信……", "", "");
  at(6, 30);
  engine.apply(
      spam,
      Command("reject").set("reason", "spam").set("reply", "内容与社区公共事务无关，不予受理。"),
      shuji);

  at(4, 0);
  auto smoke =
      submit("楼下早餐店油烟扰民", "8栋底商早餐店每天早上5点开始排油烟，直冲楼上住户窗户。",
             "8栋底商", "8栋302 陈女士 13912345678");
  at(3, 0);
  Command propose("propose");
  propose.set("title", "8栋底商早餐店油烟扰民")
      .set("description", "居民点单反映：8栋底商早餐店清晨排放油烟，影响楼上住户。")
      .set("party", juweihui.party);
  engine.createThenApply(
      "item", communityId, propose, smoke,
      Command("screen").set("reply", "已转为六方会议议题，将在下次例会上讨论，请关注办理进度。"),
      "item", juweihui);

  at(1, 0);
  submit("单元门禁损坏", "5栋1单元门禁刷卡没反应已经一周，陌生人随意进出。", "5栋1单元",
         "王阿姨 13800138000");
  at(0, 0);
  submit("小区东门人行道积水", "下雨后东门人行道积水很深，老人出行不便。", "东门", "");
}

}  // namespace liufang::workflow
