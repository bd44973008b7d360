// The system classes of every namespace, built once from a compact table.
// Property lists, types, defaults and key qualifiers follow the WMI SDK class
// pages (MicrosoftDocs/win32 desktop-src/WmiSdk/--<class>.md). Every property
// carries a CIMTYPE qualifier naming its type ("string", "ref:__Provider",
// "object:__Namespace"), as WMI's own class objects do.
#include "embedded/system_classes.h"

#include <map>
#include <new>

#include "embedded/names.h"

namespace wmiput::embedded {
namespace {

constexpr long kToInstanceAndSubclass =
    WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE | WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS;

// One declared property: name, CIM type, and for references / embedded
// objects the class named in the CIMTYPE qualifier.
struct PropSpec {
  const char16_t* name;
  CIMTYPE type;
  const char16_t* refClass = nullptr;  // "ref:<x>" / "object:<x>"
  bool key = false;
  com::Variant defaultValue = com::Variant::Null();
};

struct ClassSpec {
  const char16_t* name;
  const char16_t* parent;  // nullptr for __SystemClass
  bool abstract = false;
  bool singleton = false;
  bool association = false;
  std::vector<PropSpec> props;
};

const char16_t* CimTypeName(CIMTYPE t) {
  switch (t & ~CIM_FLAG_ARRAY) {
    case CIM_SINT8: return u"sint8";
    case CIM_UINT8: return u"uint8";
    case CIM_SINT16: return u"sint16";
    case CIM_UINT16: return u"uint16";
    case CIM_SINT32: return u"sint32";
    case CIM_UINT32: return u"uint32";
    case CIM_SINT64: return u"sint64";
    case CIM_UINT64: return u"uint64";
    case CIM_REAL32: return u"real32";
    case CIM_REAL64: return u"real64";
    case CIM_BOOLEAN: return u"boolean";
    case CIM_STRING: return u"string";
    case CIM_DATETIME: return u"datetime";
    case CIM_REFERENCE: return u"ref";
    case CIM_CHAR16: return u"char16";
    case CIM_OBJECT: return u"object";
    default: return u"";
  }
}

Qualifier MakeQualifier(OleStringView name, com::Variant value, long flavor) {
  Qualifier q;
  q.name = OleString(name);
  q.value = std::move(value);
  q.flavor = flavor;
  q.propagated = false;
  return q;
}

com::Variant ByteArray(std::initializer_list<uint8_t> bytes) {
  com::SafeArray a = com::SafeArray::Create(VT_UI1, static_cast<ULONG>(bytes.size()));
  if (!a) throw std::bad_alloc();
  LONG i = 0;
  for (uint8_t b : bytes) {
    a.Put(i++, &b);
  }
  return com::Variant::FromArray(std::move(a));
}

std::vector<ClassSpec> Table() {
  const com::Variant f = com::Variant::FromBool(false);
  const com::Variant t = com::Variant::FromBool(true);
  const CIMTYPE kStringArray = CIM_STRING | CIM_FLAG_ARRAY;
  const CIMTYPE kBytes = CIM_UINT8 | CIM_FLAG_ARRAY;
  std::vector<ClassSpec> s;
  s.push_back({u"__SystemClass", nullptr, true, false, false, {}});
  s.push_back({u"__NAMESPACE", u"__SystemClass", false, false, false,
               {{u"Name", CIM_STRING, nullptr, true}}});
  s.push_back({u"__thisNAMESPACE", u"__SystemClass", false, true, false,
               {{u"SECURITY_DESCRIPTOR", kBytes}}});
  s.push_back({u"__SystemSecurity", u"__SystemClass", false, false, false, {}});
  s.push_back({u"__CacheControl", u"__SystemClass", true, false, false, {}});
  s.push_back({u"__NotifyStatus", u"__SystemClass", false, false, false,
               {{u"StatusCode", CIM_UINT32}}});
  s.push_back({u"__ExtendedStatus", u"__NotifyStatus", false, false, false,
               {{u"Description", CIM_STRING},
                {u"Operation", CIM_STRING},
                {u"ParameterInfo", CIM_STRING},
                {u"ProviderName", CIM_STRING}}});
  // Events.
  s.push_back({u"__Event", u"__SystemClass", true, false, false,
               {{u"SECURITY_DESCRIPTOR", kBytes}, {u"TIME_CREATED", CIM_UINT64}}});
  s.push_back({u"__ExtrinsicEvent", u"__Event", true, false, false, {}});
  s.push_back({u"__InstanceOperationEvent", u"__Event", false, false, false,
               {{u"TargetInstance", CIM_OBJECT}}});
  s.push_back({u"__InstanceCreationEvent", u"__InstanceOperationEvent", false, false, false, {}});
  s.push_back({u"__InstanceModificationEvent", u"__InstanceOperationEvent", false, false, false,
               {{u"PreviousInstance", CIM_OBJECT}}});
  s.push_back({u"__InstanceDeletionEvent", u"__InstanceOperationEvent", false, false, false, {}});
  s.push_back({u"__ClassOperationEvent", u"__Event", false, false, false,
               {{u"TargetClass", CIM_OBJECT}}});
  s.push_back({u"__ClassCreationEvent", u"__ClassOperationEvent", false, false, false, {}});
  s.push_back({u"__ClassModificationEvent", u"__ClassOperationEvent", false, false, false,
               {{u"PreviousClass", CIM_OBJECT}}});
  s.push_back({u"__ClassDeletionEvent", u"__ClassOperationEvent", false, false, false, {}});
  s.push_back({u"__NamespaceOperationEvent", u"__Event", false, false, false,
               {{u"TargetNamespace", CIM_OBJECT, u"__Namespace"}}});
  s.push_back({u"__NamespaceCreationEvent", u"__NamespaceOperationEvent", false, false, false, {}});
  s.push_back({u"__NamespaceModificationEvent", u"__NamespaceOperationEvent", false, false, false,
               {{u"PreviousNamespace", CIM_OBJECT, u"__Namespace"}}});
  s.push_back({u"__NamespaceDeletionEvent", u"__NamespaceOperationEvent", false, false, false, {}});
  s.push_back({u"__TimerEvent", u"__Event", false, false, false,
               {{u"NumFirings", CIM_UINT32}, {u"TimerId", CIM_STRING}}});
  // Permanent event registration.
  s.push_back({u"__IndicationRelated", u"__SystemClass", true, false, false, {}});
  s.push_back({u"__EventConsumer", u"__IndicationRelated", true, false, false,
               {{u"CreatorSID", kBytes},
                {u"MachineName", CIM_STRING},
                {u"MaximumQueueSize", CIM_UINT32}}});
  s.push_back({u"__EventFilter", u"__IndicationRelated", false, false, false,
               {{u"CreatorSID", kBytes, nullptr, false,
                 ByteArray({1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0})},
                {u"EventAccess", CIM_STRING},
                {u"EventNamespace", CIM_STRING},
                {u"Name", CIM_STRING, nullptr, true},
                {u"Query", CIM_STRING},
                {u"QueryLanguage", CIM_STRING}}});
  s.push_back({u"__FilterToConsumerBinding", u"__IndicationRelated", false, false, true,
               {{u"Consumer", CIM_REFERENCE, u"__EventConsumer", true},
                {u"CreatorSID", kBytes},
                {u"DeliverSynchronously", CIM_BOOLEAN, nullptr, false, f},
                {u"DeliveryQoS", CIM_UINT32},
                {u"Filter", CIM_REFERENCE, u"__EventFilter", true},
                {u"MaintainSecurityContext", CIM_BOOLEAN, nullptr, false, f},
                {u"SlowDownProviders", CIM_BOOLEAN, nullptr, false, f}}});
  // Providers.
  s.push_back({u"__Provider", u"__SystemClass", true, false, false,
               {{u"Name", CIM_STRING, nullptr, true}}});
  s.push_back({u"__Win32Provider", u"__Provider", false, false, false,
               {{u"ClientLoadableCLSID", CIM_STRING},
                {u"CLSID", CIM_STRING},
                {u"Concurrency", CIM_SINT32},
                {u"DefaultMachineName", CIM_STRING},
                {u"Enabled", CIM_BOOLEAN},
                {u"HostingModel", CIM_STRING},
                {u"ImpersonationLevel", CIM_SINT32, nullptr, false, com::Variant::FromI4(0)},
                {u"InitializationReentrancy", CIM_SINT32},
                {u"InitializationTimeoutInterval", CIM_DATETIME},
                {u"InitializeAsAdminFirst", CIM_BOOLEAN},
                {u"OperationTimeoutInterval", CIM_DATETIME},
                {u"PerLocaleInitialization", CIM_BOOLEAN, nullptr, false, f},
                {u"PerUserInitialization", CIM_BOOLEAN, nullptr, false, f},
                {u"Pure", CIM_BOOLEAN, nullptr, false, t},
                {u"SecurityDescriptor", CIM_STRING},
                {u"SupportsExplicitShutdown", CIM_BOOLEAN},
                {u"SupportsExtendedStatus", CIM_BOOLEAN},
                {u"SupportsQuotas", CIM_BOOLEAN},
                {u"SupportsSendStatus", CIM_BOOLEAN},
                {u"SupportsShutdown", CIM_BOOLEAN},
                {u"SupportsThrottling", CIM_BOOLEAN},
                {u"UnloadTimeout", CIM_DATETIME},
                {u"Version", CIM_UINT32}}});
  s.push_back({u"__ProviderRegistration", u"__SystemClass", true, false, false,
               {{u"provider", CIM_REFERENCE, u"__Provider", true}}});
  s.push_back({u"__ObjectProviderRegistration", u"__ProviderRegistration", true, false, false,
               {{u"InteractionType", CIM_SINT32, nullptr, false, com::Variant::FromI4(0)},
                {u"QuerySupportLevels", kStringArray},
                {u"SupportsBatching", CIM_BOOLEAN},
                {u"SupportsDelete", CIM_BOOLEAN, nullptr, false, f},
                {u"SupportsEnumeration", CIM_BOOLEAN, nullptr, false, f},
                {u"SupportsGet", CIM_BOOLEAN, nullptr, false, f},
                {u"SupportsPut", CIM_BOOLEAN, nullptr, false, f},
                {u"SupportsTransactions", CIM_BOOLEAN}}});
  s.push_back({u"__ClassProviderRegistration", u"__ObjectProviderRegistration", false, false,
               false,
               {{u"CacheRefreshInterval", CIM_DATETIME},
                {u"PerUserSchema", CIM_BOOLEAN},
                {u"ReferencedSetQueries", kStringArray},
                {u"ResultSetQueries", kStringArray},
                {u"ReSynchroniseOnNamespaceOpen", CIM_BOOLEAN},
                {u"UnsupportedQueries", kStringArray},
                {u"Version", CIM_UINT32}}});
  s.push_back({u"__InstanceProviderRegistration", u"__ObjectProviderRegistration", false, false,
               false,
               // Overrides the inherited default (TRUE here).
               {{u"SupportsEnumeration", CIM_BOOLEAN, nullptr, false, t}}});
  s.push_back({u"__MethodProviderRegistration", u"__ProviderRegistration", false, false, false,
               {}});
  s.push_back({u"__EventProviderRegistration", u"__ProviderRegistration", false, false, false,
               {{u"EventQueryList", kStringArray}}});
  s.push_back({u"__EventConsumerProviderRegistration", u"__ProviderRegistration", false, false,
               false, {{u"ConsumerClassNames", kStringArray}}});
  s.push_back({u"__PropertyProviderRegistration", u"__ProviderRegistration", false, false, false,
               {{u"SupportsGet", CIM_BOOLEAN, nullptr, false, f},
                {u"SupportsPut", CIM_BOOLEAN, nullptr, false, f}}});
  return s;
}

OleString CimTypeQualifierText(const PropSpec& p) {
  OleString text = CimTypeName(p.type);
  if (p.refClass) {
    text += u':';
    text += p.refClass;
  }
  return text;
}

Property MakeProperty(const PropSpec& p, OleStringView origin) {
  Property prop;
  prop.name = p.name;
  prop.type = p.type;
  prop.value = p.defaultValue;
  prop.origin = OleString(origin);
  prop.propagated = false;
  prop.qualifiers.push_back(MakeQualifier(u"CIMTYPE",
                                          com::Variant::FromBstr(CimTypeQualifierText(p)),
                                          kToInstanceAndSubclass));
  if (p.key) {
    prop.qualifiers.push_back(
        MakeQualifier(u"key", com::Variant::FromBool(true),
                      kToInstanceAndSubclass | WBEM_FLAVOR_NOT_OVERRIDABLE));
  }
  return prop;
}

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
      cls.qualifiers.push_back(MakeQualifier(u"abstract", com::Variant::FromBool(true), 0));
    }
    if (spec.singleton) {
      cls.qualifiers.push_back(
          MakeQualifier(u"singleton", com::Variant::FromBool(true), kToInstanceAndSubclass));
    }
    if (spec.association) {
      cls.qualifiers.push_back(MakeQualifier(u"Association", com::Variant::FromBool(true),
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
