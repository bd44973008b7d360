// The system classes of every namespace, built once from a compact table.
// Property lists, types, defaults and key qualifiers follow the WMI SDK class
// pages (MicrosoftDocs/win32 desktop-src/WmiSdk/--<class>.md). Every property
// carries a CIMTYPE qualifier naming its type ("string", "ref:__Provider",
// "object:__Namespace"), as WMI's own class objects do.
#include "embedded/system_classes.h"

#include <map>
#include <new>

#include "embedded/names.h"
#include "embedded/value_rules.h"

namespace wmiput::embedded {
namespace {

constexpr long kToInstanceAndSubclass =
    WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE | WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS;

// One declared property: name, CIM type, and for references / embedded
// objects the class named in the CIMTYPE qualifier.
struct PropSpec {
  const OLECHAR* name;
  CIMTYPE type;
  const OLECHAR* refClass = nullptr;  // "ref:<x>" / "object:<x>"
  bool key = false;
  com::Variant defaultValue = com::Variant::Null();
};

struct ClassSpec {
  const OLECHAR* name;
  const OLECHAR* parent;  // nullptr for __SystemClass
  bool abstract = false;
  bool singleton = false;
  bool association = false;
  std::vector<PropSpec> props;
};

// Thread: any.
Qualifier MakeQualifier(OleStringView name, com::Variant value, long flavor) {
  Qualifier q;
  q.name = OleString(name);
  q.value = std::move(value);
  q.flavor = flavor;
  q.propagated = false;
  return q;
}

// Thread: any.
com::Variant ByteArray(std::initializer_list<uint8_t> bytes) {
  com::SafeArray a = com::SafeArray::Create(VT_UI1, static_cast<ULONG>(bytes.size()));
  if (!a) throw std::bad_alloc();
  LONG i = 0;
  for (uint8_t b : bytes) {
    a.Put(i++, &b);
  }
  return com::Variant::FromArray(std::move(a));
}

// Thread: any.
std::vector<ClassSpec> Table() {
  const com::Variant f = com::Variant::FromBool(false);
  const com::Variant t = com::Variant::FromBool(true);
  const CIMTYPE kStringArray = CIM_STRING | CIM_FLAG_ARRAY;
  const CIMTYPE kBytes = CIM_UINT8 | CIM_FLAG_ARRAY;
  std::vector<ClassSpec> s;
  s.push_back({OLESTR("__SystemClass"), nullptr, true, false, false, {}});
  s.push_back({OLESTR("__NAMESPACE"), OLESTR("__SystemClass"), false, false, false,
               {{OLESTR("Name"), CIM_STRING, nullptr, true}}});
  s.push_back({OLESTR("__thisNAMESPACE"), OLESTR("__SystemClass"), false, true, false,
               {{OLESTR("SECURITY_DESCRIPTOR"), kBytes}}});
  s.push_back({OLESTR("__SystemSecurity"), OLESTR("__SystemClass"), false, false, false, {}});
  s.push_back({OLESTR("__CacheControl"), OLESTR("__SystemClass"), true, false, false, {}});
  s.push_back({OLESTR("__NotifyStatus"), OLESTR("__SystemClass"), false, false, false,
               {{OLESTR("StatusCode"), CIM_UINT32}}});
  s.push_back({OLESTR("__ExtendedStatus"), OLESTR("__NotifyStatus"), false, false, false,
               {{OLESTR("Description"), CIM_STRING},
                {OLESTR("Operation"), CIM_STRING},
                {OLESTR("ParameterInfo"), CIM_STRING},
                {OLESTR("ProviderName"), CIM_STRING}}});
  // Events.
  s.push_back({OLESTR("__Event"), OLESTR("__SystemClass"), true, false, false,
               {{OLESTR("SECURITY_DESCRIPTOR"), kBytes}, {OLESTR("TIME_CREATED"), CIM_UINT64}}});
  s.push_back({OLESTR("__ExtrinsicEvent"), OLESTR("__Event"), true, false, false, {}});
  s.push_back({OLESTR("__InstanceOperationEvent"), OLESTR("__Event"), false, false, false,
               {{OLESTR("TargetInstance"), CIM_OBJECT}}});
  s.push_back({OLESTR("__InstanceCreationEvent"), OLESTR("__InstanceOperationEvent"), false, false, false, {}});
  s.push_back({OLESTR("__InstanceModificationEvent"), OLESTR("__InstanceOperationEvent"), false, false, false,
               {{OLESTR("PreviousInstance"), CIM_OBJECT}}});
  s.push_back({OLESTR("__InstanceDeletionEvent"), OLESTR("__InstanceOperationEvent"), false, false, false, {}});
  s.push_back({OLESTR("__ClassOperationEvent"), OLESTR("__Event"), false, false, false,
               {{OLESTR("TargetClass"), CIM_OBJECT}}});
  s.push_back({OLESTR("__ClassCreationEvent"), OLESTR("__ClassOperationEvent"), false, false, false, {}});
  s.push_back({OLESTR("__ClassModificationEvent"), OLESTR("__ClassOperationEvent"), false, false, false,
               {{OLESTR("PreviousClass"), CIM_OBJECT}}});
  s.push_back({OLESTR("__ClassDeletionEvent"), OLESTR("__ClassOperationEvent"), false, false, false, {}});
  s.push_back({OLESTR("__NamespaceOperationEvent"), OLESTR("__Event"), false, false, false,
               {{OLESTR("TargetNamespace"), CIM_OBJECT, OLESTR("__Namespace")}}});
  s.push_back({OLESTR("__NamespaceCreationEvent"), OLESTR("__NamespaceOperationEvent"), false, false, false, {}});
  s.push_back({OLESTR("__NamespaceModificationEvent"), OLESTR("__NamespaceOperationEvent"), false, false, false,
               {{OLESTR("PreviousNamespace"), CIM_OBJECT, OLESTR("__Namespace")}}});
  s.push_back({OLESTR("__NamespaceDeletionEvent"), OLESTR("__NamespaceOperationEvent"), false, false, false, {}});
  s.push_back({OLESTR("__TimerEvent"), OLESTR("__Event"), false, false, false,
               {{OLESTR("NumFirings"), CIM_UINT32}, {OLESTR("TimerId"), CIM_STRING}}});
  // Permanent event registration.
  s.push_back({OLESTR("__IndicationRelated"), OLESTR("__SystemClass"), true, false, false, {}});
  s.push_back({OLESTR("__EventConsumer"), OLESTR("__IndicationRelated"), true, false, false,
               {{OLESTR("CreatorSID"), kBytes},
                {OLESTR("MachineName"), CIM_STRING},
                {OLESTR("MaximumQueueSize"), CIM_UINT32}}});
  s.push_back({OLESTR("__EventFilter"), OLESTR("__IndicationRelated"), false, false, false,
               {{OLESTR("CreatorSID"), kBytes, nullptr, false,
                 ByteArray({1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0})},
                {OLESTR("EventAccess"), CIM_STRING},
                {OLESTR("EventNamespace"), CIM_STRING},
                {OLESTR("Name"), CIM_STRING, nullptr, true},
                {OLESTR("Query"), CIM_STRING},
                {OLESTR("QueryLanguage"), CIM_STRING}}});
  s.push_back({OLESTR("__FilterToConsumerBinding"), OLESTR("__IndicationRelated"), false, false, true,
               {{OLESTR("Consumer"), CIM_REFERENCE, OLESTR("__EventConsumer"), true},
                {OLESTR("CreatorSID"), kBytes},
                {OLESTR("DeliverSynchronously"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("DeliveryQoS"), CIM_UINT32},
                {OLESTR("Filter"), CIM_REFERENCE, OLESTR("__EventFilter"), true},
                {OLESTR("MaintainSecurityContext"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("SlowDownProviders"), CIM_BOOLEAN, nullptr, false, f}}});
  // Providers.
  s.push_back({OLESTR("__Provider"), OLESTR("__SystemClass"), true, false, false,
               {{OLESTR("Name"), CIM_STRING, nullptr, true}}});
  s.push_back({OLESTR("__Win32Provider"), OLESTR("__Provider"), false, false, false,
               {{OLESTR("ClientLoadableCLSID"), CIM_STRING},
                {OLESTR("CLSID"), CIM_STRING},
                {OLESTR("Concurrency"), CIM_SINT32},
                {OLESTR("DefaultMachineName"), CIM_STRING},
                {OLESTR("Enabled"), CIM_BOOLEAN},
                {OLESTR("HostingModel"), CIM_STRING},
                {OLESTR("ImpersonationLevel"), CIM_SINT32, nullptr, false, com::Variant::FromI4(0)},
                {OLESTR("InitializationReentrancy"), CIM_SINT32},
                {OLESTR("InitializationTimeoutInterval"), CIM_DATETIME},
                {OLESTR("InitializeAsAdminFirst"), CIM_BOOLEAN},
                {OLESTR("OperationTimeoutInterval"), CIM_DATETIME},
                {OLESTR("PerLocaleInitialization"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("PerUserInitialization"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("Pure"), CIM_BOOLEAN, nullptr, false, t},
                {OLESTR("SecurityDescriptor"), CIM_STRING},
                {OLESTR("SupportsExplicitShutdown"), CIM_BOOLEAN},
                {OLESTR("SupportsExtendedStatus"), CIM_BOOLEAN},
                {OLESTR("SupportsQuotas"), CIM_BOOLEAN},
                {OLESTR("SupportsSendStatus"), CIM_BOOLEAN},
                {OLESTR("SupportsShutdown"), CIM_BOOLEAN},
                {OLESTR("SupportsThrottling"), CIM_BOOLEAN},
                {OLESTR("UnloadTimeout"), CIM_DATETIME},
                {OLESTR("Version"), CIM_UINT32}}});
  s.push_back({OLESTR("__ProviderRegistration"), OLESTR("__SystemClass"), true, false, false,
               {{OLESTR("provider"), CIM_REFERENCE, OLESTR("__Provider"), true}}});
  s.push_back({OLESTR("__ObjectProviderRegistration"), OLESTR("__ProviderRegistration"), true, false, false,
               {{OLESTR("InteractionType"), CIM_SINT32, nullptr, false, com::Variant::FromI4(0)},
                {OLESTR("QuerySupportLevels"), kStringArray},
                {OLESTR("SupportsBatching"), CIM_BOOLEAN},
                {OLESTR("SupportsDelete"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("SupportsEnumeration"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("SupportsGet"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("SupportsPut"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("SupportsTransactions"), CIM_BOOLEAN}}});
  s.push_back({OLESTR("__ClassProviderRegistration"), OLESTR("__ObjectProviderRegistration"), false, false,
               false,
               {{OLESTR("CacheRefreshInterval"), CIM_DATETIME},
                {OLESTR("PerUserSchema"), CIM_BOOLEAN},
                {OLESTR("ReferencedSetQueries"), kStringArray},
                {OLESTR("ResultSetQueries"), kStringArray},
                {OLESTR("ReSynchroniseOnNamespaceOpen"), CIM_BOOLEAN},
                {OLESTR("UnsupportedQueries"), kStringArray},
                {OLESTR("Version"), CIM_UINT32}}});
  s.push_back({OLESTR("__InstanceProviderRegistration"), OLESTR("__ObjectProviderRegistration"), false, false,
               false,
               // Overrides the inherited default (TRUE here).
               {{OLESTR("SupportsEnumeration"), CIM_BOOLEAN, nullptr, false, t}}});
  s.push_back({OLESTR("__MethodProviderRegistration"), OLESTR("__ProviderRegistration"), false, false, false,
               {}});
  s.push_back({OLESTR("__EventProviderRegistration"), OLESTR("__ProviderRegistration"), false, false, false,
               {{OLESTR("EventQueryList"), kStringArray}}});
  s.push_back({OLESTR("__EventConsumerProviderRegistration"), OLESTR("__ProviderRegistration"), false, false,
               false, {{OLESTR("ConsumerClassNames"), kStringArray}}});
  s.push_back({OLESTR("__PropertyProviderRegistration"), OLESTR("__ProviderRegistration"), false, false, false,
               {{OLESTR("SupportsGet"), CIM_BOOLEAN, nullptr, false, f},
                {OLESTR("SupportsPut"), CIM_BOOLEAN, nullptr, false, f}}});
  return s;
}

// Thread: any.
OleString CimTypeQualifierText(const PropSpec& p) {
  OleString text = CimTypeName(p.type);
  if (p.refClass) {
    text += OLESTR(':');
    text += p.refClass;
  }
  return text;
}

// Thread: any.
Property MakeProperty(const PropSpec& p, OleStringView origin) {
  Property prop;
  prop.name = p.name;
  prop.type = p.type;
  prop.value = p.defaultValue;
  prop.origin = OleString(origin);
  prop.propagated = false;
  prop.qualifiers.push_back(MakeQualifier(OLESTR("CIMTYPE"),
                                          com::Variant::FromBstr(CimTypeQualifierText(p)),
                                          kToInstanceAndSubclass));
  if (p.key) {
    prop.qualifiers.push_back(
        MakeQualifier(OLESTR("key"), com::Variant::FromBool(true),
                      kToInstanceAndSubclass | WBEM_FLAVOR_NOT_OVERRIDABLE));
  }
  return prop;
}

// Thread: any.
std::vector<ClassPtr> Build() {
  std::vector<ClassPtr> out;
  std::map<OleString, ClassPtr, NoCaseLess> byName;
  for (const ClassSpec& spec : Table()) {
    ClassData cls;
    if (spec.parent) {
      cls = DeriveFrom(*byName.at(spec.parent));
    }
    cls.name = spec.name;
    cls.superclass = spec.parent ? OleString(byName.at(spec.parent)->name) : OleString();
    if (spec.abstract) {
      cls.qualifiers.push_back(MakeQualifier(OLESTR("abstract"), com::Variant::FromBool(true), 0));
    }
    if (spec.singleton) {
      cls.qualifiers.push_back(
          MakeQualifier(OLESTR("singleton"), com::Variant::FromBool(true), kToInstanceAndSubclass));
    }
    if (spec.association) {
      cls.qualifiers.push_back(MakeQualifier(OLESTR("Association"), com::Variant::FromBool(true),
                                             kToInstanceAndSubclass | WBEM_FLAVOR_NOT_OVERRIDABLE));
    }
    for (const PropSpec& p : spec.props) {
      int index = cls.FindProperty(p.name);
      if (index >= 0) {
        // An override of an inherited property: new default, still originating
        // in the ancestor that declared it.
        Property& inherited = cls.properties[static_cast<size_t>(index)];
        inherited.value = p.defaultValue;
        inherited.propagated = false;
        continue;
      }
      cls.properties.push_back(MakeProperty(p, cls.name));
    }
    auto ptr = std::make_shared<const ClassData>(std::move(cls));
    byName[ptr->name] = ptr;
    out.push_back(std::move(ptr));
  }
  return out;
}

}  // namespace

// Thread: any.
const std::vector<ClassPtr>& SystemClasses() {
  static const std::vector<ClassPtr> classes = Build();
  return classes;
}

}  // namespace wmiput::embedded
