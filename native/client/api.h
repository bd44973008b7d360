// The client's surface towards the bridge: JS-neutral values, class
// specifications, operation requests, completions, and the Connection that
// runs them on its COM worker thread. No N-API here (the bridge converts
// between these and JS on the JS thread), no COM in the value types.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "com/com.h"
#include "embedded/embedded.h"
#include "windows/policy.h"

namespace wmiput::client {

using com::OleString;

struct ObjectValue;

// A value on its way in (from JS) or out (to JS). Integers up to 32 bits and
// reals travel as Number; 64-bit integers as BigInt (sign + magnitude, exact);
// references and char16 as String; datetimes/intervals as their DMTF text.
struct Value {
  enum class Kind : uint8_t {
    kNull, kBoolean, kNumber, kBigInt, kString, kDateTime, kInterval,
    kObject, kArray
  };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  bool negative = false;     // kBigInt
  uint64_t magnitude = 0;    // kBigInt
  bool overflow = false;     // kBigInt beyond 64 bits (always a type mismatch)
  OleString text;            // kString, kDateTime, kInterval
  std::vector<Value> items;  // kArray
  std::shared_ptr<const ObjectValue> object;  // kObject
};

using NamedValues = std::vector<std::pair<OleString, Value>>;

// An embedded object (CIM_OBJECT property value): { __CLASS, ...properties }.
struct ObjectValue {
  OleString className;
  NamedValues properties;
};

// WBEM_FLAVOR_* bits (propagation, override, amended); origin bits ignored on input.
struct QualifierSpec {
  OleString name;
  Value value;
  long flavor = 0;
  bool propagated = false;  // output only: inherited, not declared here
};

struct PropertySpec {
  OleString name;
  CIMTYPE type = CIM_EMPTY;  // element type | CIM_FLAG_ARRAY
  bool key = false;          // output mirrors the Key qualifier too
  OleString refClass;        // CIM_REFERENCE: "ref:Class" (empty = untyped ref)
  OleString objectClass;     // CIM_OBJECT: "object:Class"
  bool hasDefault = false;
  Value defaultValue;
  std::vector<QualifierSpec> qualifiers;  // without CIMTYPE and Key
};

struct ParameterSpec {
  OleString name;
  CIMTYPE type = CIM_EMPTY;
  bool in = true;
  bool out = false;
  OleString refClass;
  OleString objectClass;
  std::vector<QualifierSpec> qualifiers;  // without ID/In/Out/CIMTYPE
};

struct MethodSpec {
  OleString name;
  CIMTYPE returnType = CIM_EMPTY;  // CIM_EMPTY = void
  std::vector<ParameterSpec> parameters;  // in declaration order (ID order)
  std::vector<QualifierSpec> qualifiers;
};

// What putClass takes and getClass returns. On output, only the properties,
// methods and qualifiers the class declares or overrides itself are listed.
struct ClassSpec {
  OleString name;
  OleString superclass;
  std::vector<QualifierSpec> qualifiers;
  std::vector<PropertySpec> properties;
  std::vector<MethodSpec> methods;
};

// An object read back (getObject of an instance, enumeration results): every
// property under its defined name, then the system properties.
struct ObjectRecord {
  bool isClass = false;
  NamedValues properties;
  std::shared_ptr<ClassSpec> classSpec;  // set when isClass
};

enum class OpKind : uint8_t {
  kPutInstance, kPutClass, kGetObject, kGetClass, kDeleteInstance,
  kDeleteClass, kEnumInstances, kEnumClasses
};

struct OpRequest {
  uint32_t id = 0;
  OpKind kind = OpKind::kPutInstance;
  long flags = 0;         // complete WBEM flags (validated by the TS layer)
  OleString className;    // PutInstance, GetClass, DeleteClass, Enum*
  OleString path;         // GetObject, DeleteInstance
  NamedValues properties; // PutInstance
  std::shared_ptr<const ClassSpec> classSpec;  // PutClass
  NamedValues context;    // IWbemContext named values; empty = no context
  bool deep = true;       // Enum*
};

struct ExtendedStatus {
  bool present = false;
  OleString description;
  OleString operation;
  OleString parameterInfo;
  OleString providerName;
  uint32_t statusCode = 0;
};

struct Completion {
  enum class Type : uint8_t {
    kDone,      // final: hr, strParam, extended, objects (GetObject result)
    kObjects,   // an Indicate batch of an enumeration (not final)
    kProgress,  // SetStatus(WBEM_STATUS_PROGRESS): progressCurrent/Total
  };
  uint32_t id = 0;
  Type type = Type::kDone;
  HRESULT hr = S_OK;
  OleString strParam;           // path of the instance put, class name, ...
  ExtendedStatus extended;
  OleString property;           // the property at fault (client-side errors)
  OleString message;            // client-side detail for client-side errors
  std::vector<ObjectRecord> objects;
  int32_t progressTotal = 0;
  int32_t progressCurrent = 0;
  OleString progressMessage;
};

enum class Backend : uint8_t { kEmbedded, kWmi };

struct ConnectOptions {
  Backend backend = Backend::kEmbedded;
  OleString nameSpace = OLESTR("root\\cimv2");
  embedded::RepositoryPtr repository;  // kEmbedded; null = the default one
  // kWmi (Windows only): server, credentials, locale, authority.
  OleString server, user, password, locale, authority;
  // How sinks are exposed to the server and whether calls are asynchronous
  // or semisynchronous. Acted on by the Windows build only (docs/windows.md).
  windows::CallPolicy callPolicy;
  // One doorbell per completion instead of one per empty→non-empty
  // transition of the queue (benchmarks compare the two).
  bool perEventDelivery = false;
};

class Connection {
 public:
  // Called when completions become available. Thread: any (COM worker,
  // executor or RPC thread); must not block and must not call back into the
  // Connection.
  using Doorbell = std::function<void()>;

  // Thread: JS. Starts the worker, which connects; the outcome arrives as a
  // kDone completion with id 0 (hr = S_OK or e.g. WBEM_E_INVALID_NAMESPACE).
  static std::shared_ptr<Connection> Open(ConnectOptions options,
                                          Doorbell doorbell);
  virtual ~Connection() = default;

  // Thread: JS. Queues requests for the worker; never blocks on COM.
  virtual void Submit(std::vector<OpRequest> requests) = 0;
  // Thread: JS. Best-effort cancel (CancelAsyncCall from the worker): the op
  // still completes exactly once, with WBEM_E_CALL_CANCELLED unless it had
  // already finished.
  virtual void Cancel(uint32_t id) = 0;
  // Thread: JS. Moves up to `max` completions into `out`; returns how many
  // remain queued after this call.
  virtual size_t Drain(std::vector<Completion>* out, size_t max) = 0;
  // Thread: JS. Cancels everything in flight, waits until each operation has
  // completed (their completions stay drainable), stops the worker. Idempotent.
  virtual void Close() = 0;
  // Thread: any. Operations submitted and not yet completed.
  virtual size_t InFlight() const = 0;
};

// Live counters for leak accounting (sinks alive, operations in flight,
// cached class objects, connections).
struct ClientCounters {
  int64_t sinks = 0;
  int64_t operations = 0;
  int64_t cachedClasses = 0;
  int64_t connections = 0;
};
ClientCounters GetClientCounters() noexcept;

}  // namespace wmiput::client
