#include "workflow/RosterPresets.h"

namespace liufang::workflow {

const std::vector<RosterPreset>& rosterPresets() {
  // One colour per role across presets, so a party looks the same wherever it sits: Party red,
  // workstation blue, residents' committee green, property orange, homeowners teal.
  static const std::vector<RosterPreset> presets = {
      {"liufang",
       "六方会议",
       "Six parties, convened by the community Party committee",
       {{"dangwei", "社区党委", "党委", "#b3261e", true},
        {"gongzuozhan", "社区工作站", "工作站", "#1d5fae", false},
        {"juweihui", "社区居委会", "居委会", "#1f7a3a", false},
        {"gongyi", "社区公益事业发展中心", "公益中心", "#7b3fa0", false},
        {"wuye", "物业公司", "物业", "#b35c00", false},
        {"yeweihui", "业主委员会", "业委会", "#00727a", false}}},
      {"sanfang",
       "三方联动",
       "Three parties of one estate, convened by its Party branch",
       {{"zhibu", "小区党支部", "党支部", "#b3261e", true},
        {"yeweihui", "业主委员会", "业委会", "#00727a", false},
        {"wuye", "物业公司", "物业", "#b35c00", false}}},
      {"wuwei",
       "五位一体",
       "Five parties, convened by the community Party committee",
       {{"dangwei", "社区党委", "党委", "#b3261e", true},
        {"gongzuozhan", "社区工作站", "工作站", "#1d5fae", false},
        {"juweihui", "居民委员会", "居委会", "#1f7a3a", false},
        {"yeweihui", "业主委员会", "业委会", "#00727a", false},
        {"wuye", "物业管理处", "物业", "#b35c00", false}}},
      {"yiyuan",
       "一圆六方",
       "The community Party committee at the centre, convening six parties",
       {{"dangwei", "社区党委", "党委", "#b3261e", true},
        {"zhibu", "基层党支部", "党支部", "#8e3b2e", false},
        {"juweihui", "社区居委会", "居委会", "#1f7a3a", false},
        {"shezu", "社会组织服务中心", "社会组织", "#7b3fa0", false},
        {"jumin", "居民代表", "居民", "#5a6470", false},
        {"zongzhi", "社区综治办", "综治办", "#1d5fae", false},
        {"wuye", "物业公司", "物业", "#b35c00", false}}},
  };
  return presets;
}

const RosterPreset* findRosterPreset(const std::string& code) {
  for (const auto& p : rosterPresets())
    if (p.code == code) return &p;
  return nullptr;
}

}  // namespace liufang::workflow
