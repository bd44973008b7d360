// The client end to end against the embedded server: Connection::Open, puts
// through Submit, exact paths and errors, reads back, enumeration, cancel,
// Close with operations in flight, chaos delivery, counters back to zero.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "check.h"
#include "client_values.h"
#include "client/api.h"
#include "client/coerce.h"
#include "embedded/embedded.h"

namespace {

using namespace wmiput::client;
using wmiput::com::OleString;
using Kind = Value::Kind;
namespace embedded = wmiput::embedded;

using namespace wmiput::client::testing;

OleString W(const std::string& s) {
  OleString o;
  for (char c : s) o.push_back(static_cast<OLECHAR>(static_cast<unsigned char>(c)));
  return o;
}

const Value* Prop(const NamedValues& props, const OleString& name) {
  for (const auto& [n, v] : props)
    if (n == name) return &v;
  return nullptr;
}

PropertySpec P(const char* name, CIMTYPE type, bool key = false) {
  PropertySpec p;
  p.name = W(name);
  p.type = type;
  p.key = key;
  return p;
}

std::shared_ptr<ClassSpec> AppClass() {
  auto s = std::make_shared<ClassSpec>();
  s->name = OLESTR("Contoso_App");
  s->qualifiers.push_back({OLESTR("Description"), Str(OLESTR("apps")), 0, false});
  s->properties.push_back(P("Name", CIM_STRING, true));
  s->properties.push_back(P("Size", CIM_UINT64));
  s->properties.push_back(P("Seen", CIM_DATETIME));
  s->properties.push_back(P("Tags", CIM_STRING | CIM_FLAG_ARRAY));
  s->properties.push_back(P("Count", CIM_UINT32));
  s->properties.push_back(P("Small", CIM_SINT8));
  s->properties.push_back(P("Letter", CIM_CHAR16));
  s->properties.push_back(P("Ratio", CIM_REAL32));
  s->properties.push_back(P("Flag", CIM_BOOLEAN));
  PropertySpec span = P("Span", CIM_DATETIME);
  span.qualifiers.push_back({OLESTR("SubType"), Str(OLESTR("interval")), 0, false});
  s->properties.push_back(span);
  PropertySpec ref = P("Parent", CIM_REFERENCE);
  ref.refClass = OLESTR("Contoso_App");
  s->properties.push_back(ref);
  PropertySpec level = P("Level", CIM_UINT32);
  level.hasDefault = true;
  level.defaultValue = Num(7);
  s->properties.push_back(level);
  MethodSpec m;
  m.name = OLESTR("Restart");
  m.returnType = CIM_UINT32;
  ParameterSpec force;
  force.name = OLESTR("Force");
  force.type = CIM_BOOLEAN;
  ParameterSpec reason;
  reason.name = OLESTR("Reason");
  reason.type = CIM_STRING;
  reason.in = true;
  reason.out = true;
  m.parameters = {force, reason};
  s->methods.push_back(m);
  return s;
}

OpRequest Req(uint32_t id, OpKind kind) {
  OpRequest r;
  r.id = id;
  r.kind = kind;
  return r;
}

OpRequest PutInstance(uint32_t id, NamedValues props, long flags = 0,
                      const OleString& cls = OLESTR("Contoso_App")) {
  OpRequest r = Req(id, OpKind::kPutInstance);
  r.className = cls;
  r.properties = std::move(props);
  r.flags = flags;
  return r;
}

class Harness {
 public:
  explicit Harness(embedded::RepositoryPtr repo, OleString ns = OLESTR("root\\cimv2"),
                   bool perEvent = false) {
    ConnectOptions o;
    o.backend = Backend::kEmbedded;
    o.nameSpace = std::move(ns);
    o.repository = std::move(repo);
    o.perEventDelivery = perEvent;
    conn = Connection::Open(o, [this] { rings.fetch_add(1); });
  }
  ~Harness() {
    if (conn) conn->Close();
  }

  void Pump() {
    std::vector<Completion> out;
    conn->Drain(&out, 5000);
    for (auto& c : out) {
      if (c.type == Completion::Type::kDone) {
        ++doneCount[c.id];
        done[c.id] = std::move(c);
      } else {
        partial[c.id].push_back(std::move(c));
      }
    }
  }

  void Until(const std::function<bool()>& pred, int seconds = 30) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
      Pump();
      if (pred()) return;
      if (std::chrono::steady_clock::now() > deadline)
        throw wmiput::test::Failure("timed out waiting for completions");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  const Completion& Wait(uint32_t id) {
    Until([&] { return done.count(id) != 0; });
    return done[id];
  }

  const Completion& Run(OpRequest r) {
    uint32_t id = r.id;
    std::vector<OpRequest> batch;
    batch.push_back(std::move(r));
    conn->Submit(std::move(batch));
    return Wait(id);
  }

  std::shared_ptr<Connection> conn;
  std::atomic<int> rings{0};
  std::map<uint32_t, Completion> done;
  std::map<uint32_t, int> doneCount;
  std::map<uint32_t, std::vector<Completion>> partial;
};

void ExpectQuiet() {
  // Everything released once the connections are gone. The server drops its
  // sink references just after the final SetStatus returns, on its own
  // threads, so sinks may take a moment to reach zero.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (GetClientCounters().sinks != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ClientCounters c = GetClientCounters();
  CHECK_EQ(c.sinks, int64_t{0});
  CHECK_EQ(c.operations, int64_t{0});
  CHECK_EQ(c.cachedClasses, int64_t{0});
  CHECK_EQ(c.connections, int64_t{0});
}

void PutAppClass(Harness& h, uint32_t id) {
  OpRequest r = Req(id, OpKind::kPutClass);
  r.classSpec = AppClass();
  const Completion& c = h.Run(std::move(r));
  CHECK_HR(c.hr, S_OK);
}

WP_TEST("client_connection: open reports the namespace check as completion 0") {
  auto repo = embedded::NewRepository();
  {
    Harness ok(repo);
    CHECK_HR(ok.Wait(0).hr, S_OK);
    Harness bad(repo, OLESTR("root\\nope"));
    CHECK_HR(bad.Wait(0).hr, WBEM_E_INVALID_NAMESPACE);
    // Operations on a connection that failed to open complete with that failure.
    const Completion& c = bad.Run(PutInstance(1, {{OLESTR("Name"), Str(OLESTR("x"))}}));
    CHECK_HR(c.hr, WBEM_E_INVALID_NAMESPACE);
    CHECK(ok.rings.load() >= 1);
  }
  ExpectQuiet();
}

WP_TEST("client_connection: putClass then 1000 putInstance through Submit, exact paths") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    CHECK_HR(h.Wait(0).hr, S_OK);
    PutAppClass(h, 1);
    constexpr uint32_t kN = 1000;
    for (uint32_t base = 0; base < kN; base += 100) {
      std::vector<OpRequest> batch;
      for (uint32_t i = base; i < base + 100; ++i)
        batch.push_back(PutInstance(100 + i, {{OLESTR("Name"), Str(W("x" + std::to_string(i)))},
                                              {OLESTR("Size"), Big(false, uint64_t{1} << 60)},
                                              {OLESTR("Count"), Num(i)}}));
      h.conn->Submit(std::move(batch));
    }
    h.Until([&] { return h.done.size() >= kN + 2; });
    for (uint32_t i = 0; i < kN; ++i) {
      const Completion& c = h.done[100 + i];
      CHECK_HR(c.hr, S_OK);
      CHECK(c.strParam == W("Contoso_App.Name=\"x" + std::to_string(i) + "\""));
      CHECK_EQ(h.doneCount[100 + i], 1);
    }
    CHECK_EQ(h.conn->InFlight(), size_t{0});
    // Batched delivery: far fewer doorbells than completions.
    CHECK(h.rings.load() < static_cast<int>(kN));
  }
  ExpectQuiet();
}

WP_TEST("client_connection: create-only duplicate carries __ExtendedStatus") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    CHECK_HR(h.Run(PutInstance(2, {{OLESTR("Name"), Str(OLESTR("x"))}}, WBEM_FLAG_CREATE_ONLY)).hr, S_OK);
    const Completion& c = h.Run(PutInstance(3, {{OLESTR("Name"), Str(OLESTR("x"))}}, WBEM_FLAG_CREATE_ONLY));
    CHECK_HR(c.hr, WBEM_E_ALREADY_EXISTS);
    CHECK(c.extended.present);
    CHECK_EQ(c.extended.statusCode, static_cast<uint32_t>(WBEM_E_ALREADY_EXISTS));
    CHECK(c.extended.providerName == OleString(OLESTR("Windows Management")));
    CHECK(!c.extended.operation.empty());
    // update-only of a missing instance.
    const Completion& u = h.Run(PutInstance(4, {{OLESTR("Name"), Str(OLESTR("y"))}}, WBEM_FLAG_UPDATE_ONLY));
    CHECK_HR(u.hr, WBEM_E_NOT_FOUND);
    // Invalid flag combination: the call itself fails, completed at once without a sink.
    const Completion& f = h.Run(
        PutInstance(5, {{OLESTR("Name"), Str(OLESTR("z"))}}, WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY));
    CHECK_HR(f.hr, WBEM_E_INVALID_PARAMETER);
    CHECK(!f.extended.present);
  }
  ExpectQuiet();
}

WP_TEST("client_connection: conversion errors name the property and write nothing") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    const Completion& c =
        h.Run(PutInstance(2, {{OLESTR("Name"), Str(OLESTR("bad"))}, {OLESTR("Size"), Num(-1)}}));
    CHECK_HR(c.hr, WBEM_E_TYPE_MISMATCH);
    CHECK(c.property == OleString(OLESTR("Size")));
    CHECK(!c.message.empty());
    const Completion& n = h.Run(PutInstance(3, {{OLESTR("Name"), Str(OLESTR("bad"))}, {OLESTR("Nope"), Num(1)}}));
    CHECK_HR(n.hr, WBEM_E_NOT_FOUND);
    CHECK(n.property == OleString(OLESTR("Nope")));
    const Completion& t = h.Run(PutInstance(4, {{OLESTR("Name"), Str(OLESTR("bad"))}, {OLESTR("count"), Num(-5)}}));
    CHECK_HR(t.hr, WBEM_E_TYPE_MISMATCH);
    CHECK(t.property == OleString(OLESTR("Count")));  // the declared spelling
    OpRequest g = Req(5, OpKind::kGetObject);
    g.path = OLESTR("Contoso_App.Name=\"bad\"");
    CHECK_HR(h.Run(std::move(g)).hr, WBEM_E_NOT_FOUND);
    // Unknown class.
    const Completion& k = h.Run(PutInstance(6, {{OLESTR("Name"), Str(OLESTR("x"))}}, 0, OLESTR("No_Such")));
    CHECK_HR(k.hr, WBEM_E_NOT_FOUND);
  }
  ExpectQuiet();
}

WP_TEST("client_connection: getObject returns every value exactly") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    const OleString seen = OLESTR("20240131235959.123456+060");
    const OleString span = OLESTR("00000001020304.000005:000");
    const Completion& p = h.Run(PutInstance(
        2, {{OLESTR("Name"), Str(OLESTR("x"))},
            {OLESTR("Size"), Big(false, UINT64_MAX)},
            {OLESTR("Seen"), Str(seen, Kind::kDateTime)},
            {OLESTR("Tags"), Arr({Str(OLESTR("a")), Str(OLESTR("b"))})},
            {OLESTR("Count"), Num(4294967295.0)},
            {OLESTR("Small"), Num(-128)},
            {OLESTR("Letter"), Str(OLESTR("Z"))},
            {OLESTR("Ratio"), Num(0.5)},
            {OLESTR("Flag"), Bool(true)},
            {OLESTR("Span"), Str(span, Kind::kInterval)},
            {OLESTR("Parent"), Str(OLESTR("Contoso_App.Name=\"root\""))}}));
    CHECK_HR(p.hr, S_OK);
    OpRequest g = Req(3, OpKind::kGetObject);
    g.path = p.strParam;
    const Completion& c = h.Run(std::move(g));
    CHECK_HR(c.hr, S_OK);
    CHECK_EQ(c.objects.size(), size_t{1});
    const ObjectRecord& r = c.objects[0];
    CHECK(!r.isClass);
    const NamedValues& v = r.properties;
    CHECK(Prop(v, OLESTR("Size"))->kind == Kind::kBigInt);
    CHECK_EQ(Prop(v, OLESTR("Size"))->magnitude, UINT64_MAX);
    CHECK(Prop(v, OLESTR("Seen"))->kind == Kind::kDateTime && Prop(v, OLESTR("Seen"))->text == seen);
    CHECK(Prop(v, OLESTR("Span"))->kind == Kind::kInterval && Prop(v, OLESTR("Span"))->text == span);
    CHECK_EQ(Prop(v, OLESTR("Tags"))->items.size(), size_t{2});
    CHECK_EQ(Prop(v, OLESTR("Count"))->number, 4294967295.0);
    CHECK_EQ(Prop(v, OLESTR("Small"))->number, -128.0);
    CHECK(Prop(v, OLESTR("Letter"))->text == OleString(OLESTR("Z")));
    CHECK_EQ(Prop(v, OLESTR("Ratio"))->number, 0.5);
    CHECK(Prop(v, OLESTR("Flag"))->boolean);
    CHECK(Prop(v, OLESTR("Parent"))->text == OleString(OLESTR("Contoso_App.Name=\"root\"")));
    CHECK_EQ(Prop(v, OLESTR("Level"))->number, 7.0);  // class default
    CHECK(Prop(v, OLESTR("__CLASS"))->text == OleString(OLESTR("Contoso_App")));
    CHECK(Prop(v, OLESTR("__RELPATH"))->text == OleString(OLESTR("Contoso_App.Name=\"x\"")));
    CHECK_EQ(Prop(v, OLESTR("__GENUS"))->number, 2.0);
    CHECK(Prop(v, OLESTR("__PATH")) != nullptr);
    CHECK(Prop(v, OLESTR("__NAMESPACE"))->text == OleString(OLESTR("root\\cimv2")));
    // Non-system properties come first, in class order.
    CHECK(v[0].first == OleString(OLESTR("Name")));
  }
  ExpectQuiet();
}

WP_TEST("client_connection: getClass returns own parts and round-trips through putClass") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    OpRequest g = Req(2, OpKind::kGetClass);
    g.className = OLESTR("Contoso_App");
    const Completion& c = h.Run(std::move(g));
    CHECK_HR(c.hr, S_OK);
    CHECK_EQ(c.objects.size(), size_t{1});
    CHECK(c.objects[0].isClass);
    std::shared_ptr<ClassSpec> spec = c.objects[0].classSpec;
    CHECK(spec != nullptr);
    auto want = AppClass();
    CHECK(spec->name == want->name);
    CHECK(spec->superclass.empty());
    CHECK_EQ(spec->properties.size(), want->properties.size());
    for (size_t i = 0; i < want->properties.size(); ++i) {
      CHECK(spec->properties[i].name == want->properties[i].name);
      CHECK_EQ(spec->properties[i].type, want->properties[i].type);
      CHECK_EQ(spec->properties[i].key, want->properties[i].key);
      CHECK(spec->properties[i].refClass == want->properties[i].refClass);
      CHECK_EQ(spec->properties[i].hasDefault, want->properties[i].hasDefault);
    }
    CHECK_EQ(spec->properties.back().defaultValue.number, 7.0);
    CHECK_EQ(spec->qualifiers.size(), size_t{1});
    CHECK(spec->qualifiers[0].name == OleString(OLESTR("Description")));
    CHECK_EQ(spec->methods.size(), size_t{1});
    const MethodSpec& m = spec->methods[0];
    CHECK(m.name == OleString(OLESTR("Restart")));
    CHECK_EQ(m.returnType, CIMTYPE{CIM_UINT32});
    CHECK_EQ(m.parameters.size(), size_t{2});
    CHECK(m.parameters[0].name == OleString(OLESTR("Force")) && m.parameters[0].in &&
          !m.parameters[0].out);
    CHECK(m.parameters[1].name == OleString(OLESTR("Reason")) && m.parameters[1].in &&
          m.parameters[1].out);
    // Put back unchanged: nothing differs, so even update-only succeeds.
    OpRequest put = Req(3, OpKind::kPutClass);
    put.classSpec = spec;
    put.flags = WBEM_FLAG_UPDATE_ONLY;
    CHECK_HR(h.Run(std::move(put)).hr, S_OK);
    // A derived class lists only what it declares.
    auto child = std::make_shared<ClassSpec>();
    child->name = OLESTR("Contoso_Child");
    child->superclass = OLESTR("Contoso_App");
    child->properties.push_back(P("Extra", CIM_SINT32));
    OpRequest pc = Req(4, OpKind::kPutClass);
    pc.classSpec = child;
    CHECK_HR(h.Run(std::move(pc)).hr, S_OK);
    OpRequest gc = Req(5, OpKind::kGetClass);
    gc.className = OLESTR("Contoso_Child");
    const Completion& cc = h.Run(std::move(gc));
    CHECK_HR(cc.hr, S_OK);
    const ClassSpec& cs = *cc.objects[0].classSpec;
    CHECK(cs.superclass == OleString(OLESTR("Contoso_App")));
    CHECK_EQ(cs.properties.size(), size_t{1});
    CHECK(cs.properties[0].name == OleString(OLESTR("Extra")));
    CHECK(cs.methods.empty());
  }
  ExpectQuiet();
}

WP_TEST("client_connection: enumeration batches arrive before the final completion") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    std::vector<OpRequest> batch;
    for (uint32_t i = 0; i < 50; ++i)
      batch.push_back(PutInstance(10 + i, {{OLESTR("Name"), Str(W("e" + std::to_string(i)))}}));
    h.conn->Submit(std::move(batch));
    h.Until([&] { return h.done.size() >= 52; });
    OpRequest e = Req(100, OpKind::kEnumInstances);
    e.className = OLESTR("Contoso_App");
    const Completion& c = h.Run(std::move(e));
    CHECK_HR(c.hr, S_OK);
    size_t objects = 0;
    for (const auto& b : h.partial[100]) {
      CHECK(b.type == Completion::Type::kObjects);
      objects += b.objects.size();
    }
    CHECK_EQ(objects, size_t{50});
    OpRequest ec = Req(101, OpKind::kEnumClasses);
    ec.className = OLESTR("Contoso_App");
    CHECK_HR(h.Run(std::move(ec)).hr, S_OK);
    CHECK_EQ(h.partial[101].size() >= 1 ? h.partial[101][0].objects.size() : 0, size_t{0});
  }
  ExpectQuiet();
}

WP_TEST("client_connection: nested embedded objects and the depth limit") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    auto node = std::make_shared<ClassSpec>();
    node->name = OLESTR("Contoso_Node");
    node->properties.push_back(P("Name", CIM_STRING, true));
    PropertySpec child = P("Child", CIM_OBJECT);
    child.objectClass = OLESTR("Contoso_Node");
    node->properties.push_back(child);
    OpRequest pc = Req(1, OpKind::kPutClass);
    pc.classSpec = node;
    CHECK_HR(h.Run(std::move(pc)).hr, S_OK);

    auto chain = [](int depth) {
      Value v = Obj(OLESTR("Contoso_Node"), {{OLESTR("Name"), Str(OLESTR("leaf"))}});
      for (int i = 1; i < depth; ++i)
        v = Obj(i % 2 ? OleString() : OleString(OLESTR("Contoso_Node")),
                {{OLESTR("Name"), Str(W("n" + std::to_string(i)))}, {OLESTR("Child"), v}});
      return v;
    };
    const Completion& ok = h.Run(PutInstance(
        2, {{OLESTR("Name"), Str(OLESTR("top"))}, {OLESTR("Child"), chain(3)}}, 0, OLESTR("Contoso_Node")));
    CHECK_HR(ok.hr, S_OK);
    OpRequest g = Req(3, OpKind::kGetObject);
    g.path = OLESTR("Contoso_Node.Name=\"top\"");
    const Completion& got = h.Run(std::move(g));
    CHECK_HR(got.hr, S_OK);
    const Value* c1 = Prop(got.objects[0].properties, OLESTR("Child"));
    CHECK(c1 && c1->kind == Kind::kObject);
    CHECK(c1->object->className == OleString(OLESTR("Contoso_Node")));
    const Value* c2 = Prop(c1->object->properties, OLESTR("Child"));
    CHECK(c2 && c2->kind == Kind::kObject);
    const Value* c3 = Prop(c2->object->properties, OLESTR("Child"));
    CHECK(c3 && c3->kind == Kind::kObject);
    CHECK(Prop(c3->object->properties, OLESTR("Name"))->text == OleString(OLESTR("leaf")));
    CHECK(Prop(c3->object->properties, OLESTR("Child"))->kind == Kind::kNull);

    // kMaxObjectDepth levels below the instance are fine, one more is refused.
    CHECK_HR(h.Run(PutInstance(4, {{OLESTR("Name"), Str(OLESTR("deep"))}, {OLESTR("Child"), chain(kMaxObjectDepth)}},
                               0, OLESTR("Contoso_Node")))
                 .hr,
             S_OK);
    const Completion& deep = h.Run(PutInstance(
        5, {{OLESTR("Name"), Str(OLESTR("deeper"))}, {OLESTR("Child"), chain(kMaxObjectDepth + 1)}}, 0,
        OLESTR("Contoso_Node")));
    CHECK_HR(deep.hr, WBEM_E_TYPE_MISMATCH);
    CHECK(deep.property == OleString(OLESTR("Child")));
    // An embedded object of an unknown class.
    const Completion& unk = h.Run(PutInstance(
        6, {{OLESTR("Name"), Str(OLESTR("u"))}, {OLESTR("Child"), Obj(OLESTR("No_Such"), {})}}, 0, OLESTR("Contoso_Node")));
    CHECK_HR(unk.hr, WBEM_E_TYPE_MISMATCH);
    CHECK(unk.property == OleString(OLESTR("Child")));
  }
  ExpectQuiet();
}

WP_TEST("client_connection: context values reach the server, bad ones fail locally") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    OpRequest r = PutInstance(2, {{OLESTR("Name"), Str(OLESTR("c"))}});
    r.context = {{OLESTR("Source"), Str(OLESTR("agent"))}, {OLESTR("N"), Num(3)}, {OLESTR("Big"), Big(false, 1ull << 40)}};
    CHECK_HR(h.Run(std::move(r)).hr, S_OK);
    OpRequest bad = PutInstance(3, {{OLESTR("Name"), Str(OLESTR("d"))}});
    bad.context = {{OLESTR("Obj"), Obj(OLESTR("X"), {})}};
    const Completion& b = h.Run(std::move(bad));
    CHECK_HR(b.hr, WBEM_E_TYPE_MISMATCH);
  }
  ExpectQuiet();
}

WP_TEST("client_connection: a class changed elsewhere is refetched once") {
  auto repo = embedded::NewRepository();
  {
    Harness a(repo), b(repo);
    PutAppClass(a, 1);
    CHECK_HR(a.Run(PutInstance(2, {{OLESTR("Name"), Str(OLESTR("1"))}})).hr, S_OK);  // cached in a
    auto v2 = AppClass();
    v2->properties.push_back(P("Added", CIM_STRING));
    OpRequest del = Req(1, OpKind::kDeleteClass);
    del.className = OLESTR("Contoso_App");
    CHECK_HR(b.Run(std::move(del)).hr, S_OK);
    OpRequest put = Req(2, OpKind::kPutClass);
    put.classSpec = v2;
    CHECK_HR(b.Run(std::move(put)).hr, S_OK);
    const Completion& c = a.Run(PutInstance(3, {{OLESTR("Name"), Str(OLESTR("2"))}, {OLESTR("Added"), Str(OLESTR("y"))}}));
    CHECK_HR(c.hr, S_OK);
    CHECK(c.strParam == OleString(OLESTR("Contoso_App.Name=\"2\"")));
  }
  ExpectQuiet();
}

WP_TEST("client_connection: delete instance and class; the cache follows") {
  auto repo = embedded::NewRepository();
  {
    Harness h(repo);
    PutAppClass(h, 1);
    CHECK_HR(h.Run(PutInstance(2, {{OLESTR("Name"), Str(OLESTR("d"))}})).hr, S_OK);
    OpRequest di = Req(3, OpKind::kDeleteInstance);
    di.path = OLESTR("Contoso_App.Name=\"d\"");
    CHECK_HR(h.Run(std::move(di)).hr, S_OK);
    OpRequest dc = Req(4, OpKind::kDeleteClass);
    dc.className = OLESTR("Contoso_App");
    CHECK_HR(h.Run(std::move(dc)).hr, S_OK);
    CHECK_HR(h.Run(PutInstance(5, {{OLESTR("Name"), Str(OLESTR("d"))}})).hr, WBEM_E_NOT_FOUND);
    CHECK_EQ(GetClientCounters().cachedClasses, int64_t{0});
  }
  ExpectQuiet();
}

WP_TEST("client_connection: cancel completes every op exactly once") {
  auto repo = embedded::NewRepository();
  embedded::RepositoryControls controls;
  controls.latency = std::chrono::microseconds(2000);
  embedded::SetControls(*repo, controls);
  {
    Harness h(repo);
    PutAppClass(h, 1);
    std::vector<OpRequest> batch;
    for (uint32_t i = 0; i < 200; ++i)
      batch.push_back(PutInstance(10 + i, {{OLESTR("Name"), Str(W("c" + std::to_string(i)))}}));
    h.conn->Submit(std::move(batch));
    for (uint32_t i = 0; i < 200; i += 2) h.conn->Cancel(10 + i);
    h.conn->Cancel(9999);  // unknown: ignored
    h.Until([&] { return h.done.size() >= 202; });
    int cancelled = 0;
    for (uint32_t i = 0; i < 200; ++i) {
      CHECK_EQ(h.doneCount[10 + i], 1);
      HRESULT hr = h.done[10 + i].hr;
      if (i % 2) CHECK_HR(hr, S_OK);
      else CHECK(hr == S_OK || hr == WBEM_E_CALL_CANCELLED);
      cancelled += hr == WBEM_E_CALL_CANCELLED;
    }
    CHECK(cancelled > 0);
    CHECK_EQ(h.conn->InFlight(), size_t{0});
  }
  ExpectQuiet();
}

WP_TEST("client_connection: Close with ops in flight completes each exactly once") {
  auto repo = embedded::NewRepository();
  embedded::RepositoryControls controls;
  controls.latency = std::chrono::microseconds(1000);
  embedded::SetControls(*repo, controls);
  {
    Harness h(repo);
    PutAppClass(h, 1);
    std::vector<OpRequest> batch;
    for (uint32_t i = 0; i < 300; ++i)
      batch.push_back(PutInstance(10 + i, {{OLESTR("Name"), Str(W("z" + std::to_string(i)))}}));
    h.conn->Submit(std::move(batch));
    h.conn->Close();
    CHECK_EQ(h.conn->InFlight(), size_t{0});
    h.Pump();
    CHECK_EQ(h.done.size(), size_t{302});
    for (uint32_t i = 0; i < 300; ++i) {
      CHECK_EQ(h.doneCount[10 + i], 1);
      HRESULT hr = h.done[10 + i].hr;
      CHECK(hr == S_OK || hr == WBEM_E_CALL_CANCELLED);
    }
    h.conn->Close();  // idempotent
    // After Close, Submit completes at once (no doorbell) and Cancel is ignored.
    int rings = h.rings.load();
    h.conn->Submit({PutInstance(999, {{OLESTR("Name"), Str(OLESTR("late"))}})});
    h.conn->Cancel(999);
    h.Pump();
    CHECK_HR(h.done[999].hr, WBEM_E_CALL_CANCELLED);
    CHECK_EQ(h.rings.load(), rings);
    CHECK_EQ(h.conn->InFlight(), size_t{0});
  }
  ExpectQuiet();
}

WP_TEST("client_connection: chaos delivery, two connections, per-event doorbell") {
  auto repo = embedded::NewRepository();
  embedded::RepositoryControls controls;
  controls.delivery = embedded::DeliveryMode::kChaos;
  embedded::SetControls(*repo, controls);
  {
    Harness a(repo), b(repo, OLESTR("root\\cimv2"), true);
    PutAppClass(a, 1);
    CHECK_HR(b.Wait(0).hr, S_OK);
    for (Harness* h : {&a, &b}) {
      std::vector<OpRequest> batch;
      for (uint32_t i = 0; i < 400; ++i)
        batch.push_back(PutInstance(10 + i, {{OLESTR("Name"), Str(W((h == &a ? "a" : "b") +
                                                             std::to_string(i)))}}));
      h->conn->Submit(std::move(batch));
    }
    a.Until([&] { return a.done.size() >= 402; });
    b.Until([&] { return b.done.size() >= 401; });
    for (uint32_t i = 0; i < 400; ++i) {
      CHECK_HR(a.done[10 + i].hr, S_OK);
      CHECK(a.done[10 + i].strParam == W("Contoso_App.Name=\"a" + std::to_string(i) + "\""));
      CHECK(b.done[10 + i].strParam == W("Contoso_App.Name=\"b" + std::to_string(i) + "\""));
      CHECK_EQ(a.doneCount[10 + i], 1);
      CHECK_EQ(b.doneCount[10 + i], 1);
    }
    CHECK_EQ(b.rings.load(), 401);  // one doorbell per completion
  }
  ExpectQuiet();
}

}  // namespace
