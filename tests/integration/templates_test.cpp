// web::Templates: parsed once per thread, partials spliced in at load, same output as
// kainjow's own partial rendering, and safe to render from many threads at once.
#include "web/Templates.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace liufang::web {
namespace {

using Data = kainjow::mustache::data;

const std::map<std::string, std::string> kSources = {
    {"layout", "<html>\n{{> @header}}\n{{{body}}}\n</html>\n"},
    {"header", "<h1>{{title}}</h1>\n{{#signed_in}}<p>{{t.hello}} {{name}}</p>{{/signed_in}}"},
    {"row", "  <li>{{label}} &amp; {{value}}</li>\n"},
    {"page",
     "<ul>\n{{#rows}}\n{{> @row}}\n{{/rows}}\n</ul>\n{{^rows}}<p>{{t.none}}</p>{{/rows}}\n"},
};

Data pageData(int rows) {
  Data d;
  d.set("title", "标题 <b>");
  d.set("signed_in", true);
  d.set("name", "Li & Wang");
  Data list(Data::type::list);
  for (int k = 0; k < rows; ++k) {
    Data r;
    r.set("label", "row" + std::to_string(k));
    r.set("value", "<" + std::to_string(k) + ">");
    list.push_back(r);
  }
  d.set("rows", list);
  return d;
}

Data strings() {
  Data t;
  t.set("hello", "Hello");
  t.set("none", "Nothing");
  Data s;
  s.set("t", t);
  return s;
}

// What kainjow renders with {{> @name}} resolved as partials at render time (the old way).
std::string renderWithPartials(const std::string& name, const Data& page, const Data& strs,
                               const std::string* body = nullptr) {
  Data partials;
  for (const auto& [n, text] : kSources) partials.set("@" + n, text);
  kainjow::mustache::mustache tmpl{kSources.at(name)};
  kainjow::mustache::context<std::string> ctx;
  ctx.push(&partials);
  ctx.push(&strs);
  ctx.push(&page);
  Data b;
  if (body) {
    b.set("body", *body);
    ctx.push(&b);
  }
  return tmpl.render(ctx);
}

TEST(Templates, SplicedPartialsRenderLikeKainjowPartials) {
  Templates t(kSources);
  for (int rows : {0, 1, 3}) {
    const Data page = pageData(rows);
    const std::string body = renderWithPartials("page", page, strings());
    EXPECT_EQ(t.render("page", page, strings()), body) << rows;
    EXPECT_EQ(t.renderPage("page", page, strings()),
              renderWithPartials("layout", page, strings(), &body))
        << rows;
  }
}

TEST(Templates, RenderingTwiceGivesTheSameText) {
  Templates t(kSources);
  const std::string first = t.renderPage("page", pageData(2), strings());
  EXPECT_EQ(t.renderPage("page", pageData(2), strings()), first);
  EXPECT_NE(t.renderPage("page", pageData(0), strings()), first);
}

TEST(Templates, ManyThreadsRenderAtOnce) {
  Templates t(kSources);
  const std::string expected = t.renderPage("page", pageData(5), strings());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 8; ++k)
    threads.emplace_back([&] {
      const Data page = pageData(5);
      const Data s = strings();
      for (int i = 0; i < 200; ++i)
        if (t.renderPage("page", page, s) != expected) ++wrong;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Templates, TwoTemplateSetsOnOneThreadKeepTheirOwnText) {
  Templates a(kSources);
  auto other = kSources;
  other["page"] = "<p>other {{title}}</p>\n";
  Templates b(other);
  EXPECT_NE(a.render("page", pageData(1), strings()), b.render("page", pageData(1), strings()));
  EXPECT_EQ(b.render("page", pageData(1), strings()), "<p>other 标题 &lt;b&gt;</p>\n");
  EXPECT_NE(a.render("page", pageData(1), strings()).find("row0"), std::string::npos);
}

TEST(Templates, AnUnknownPartialFailsAtLoad) {
  auto broken = kSources;
  broken["page"] = "{{> @missing}}";
  EXPECT_THROW(Templates{broken}, std::runtime_error);
  broken["page"] = "{{#open}}";
  EXPECT_THROW(Templates{broken}, std::runtime_error);
}

TEST(Templates, TheEmbeddedTemplatesLoad) { EXPECT_NO_THROW(Templates{}); }

}  // namespace
}  // namespace liufang::web
