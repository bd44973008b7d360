// The ClassObject behind class_object.h (internal to class_object*.cc and
// qualifier_set.cc). One object is a class (genus 1) or an instance (genus 2).
// Like WMI's objects it must not be used from two threads at once; only the
// reference count is atomic. Stored class data is shared immutably and
// copied on the first write (MutableClass).
#pragma once

#include <atomic>
#include <vector>

#include "com/unknown.h"
#include "embedded/class_object.h"

namespace wmiput::embedded {

// The system properties in WMI's order (GetNames/enumeration order).
enum class SystemProperty {
  kGenus, kClass, kSuperclass, kDynasty, kRelPath, kPropertyCount, kDerivation,
  kServer, kNamespace, kPath,
};
constexpr int kSystemPropertyCount = 10;
// -1 when `name` is not a system property (case-insensitive).
int FindSystemProperty(OleStringView name) noexcept;
OleStringView SystemPropertyName(int index) noexcept;
CIMTYPE SystemPropertyType(int index) noexcept;

class ClassObject final : public com::UnknownImpl<ClassObject, IWbemClassObject, IID_IWbemClassObject>, public ClassObjectView {
  friend class com::UnknownImpl<ClassObject, IWbemClassObject, IID_IWbemClassObject>;  // deletes us on the last Release
  // QueryInterface also answers IID_IWmiPutEmbeddedObject: how ImplOf
  // recognises our own objects.
  static bool AlsoAnswers(REFIID riid) noexcept {
    return IsEqualIID(riid, IID_IWmiPutEmbeddedObject);
  }
 public:
  // A class object over shared data (`owned` = the data was made for this
  // object alone and may be written in place while nobody else holds it).
  ClassObject(ClassPtr cls, bool owned);
  explicit ClassObject(InstanceData inst);
  ~ClassObject();
  ClassObject(const ClassObject&) = delete;
  ClassObject& operator=(const ClassObject&) = delete;


  // IWbemClassObject
  HRESULT STDMETHODCALLTYPE GetQualifierSet(IWbemQualifierSet** ppQualSet) noexcept override;
  HRESULT STDMETHODCALLTYPE Get(LPCWSTR wszName, long lFlags, VARIANT* pVal, CIMTYPE* pType,
                                long* plFlavor) noexcept override;
  HRESULT STDMETHODCALLTYPE Put(LPCWSTR wszName, long lFlags, VARIANT* pVal,
                                CIMTYPE Type) noexcept override;
  HRESULT STDMETHODCALLTYPE Delete(LPCWSTR wszName) noexcept override;
  HRESULT STDMETHODCALLTYPE GetNames(LPCWSTR wszQualifierName, long lFlags,
                                     VARIANT* pQualifierVal, SAFEARRAY** pNames) noexcept override;
  HRESULT STDMETHODCALLTYPE BeginEnumeration(long lEnumFlags) noexcept override;
  HRESULT STDMETHODCALLTYPE Next(long lFlags, BSTR* strName, VARIANT* pVal, CIMTYPE* pType,
                                 long* plFlavor) noexcept override;
  HRESULT STDMETHODCALLTYPE EndEnumeration() noexcept override;
  HRESULT STDMETHODCALLTYPE GetPropertyQualifierSet(LPCWSTR wszProperty,
                                                    IWbemQualifierSet** ppQualSet) noexcept override;
  HRESULT STDMETHODCALLTYPE Clone(IWbemClassObject** ppCopy) noexcept override;
  HRESULT STDMETHODCALLTYPE GetObjectText(long lFlags, BSTR* pstrObjectText) noexcept override;
  HRESULT STDMETHODCALLTYPE SpawnDerivedClass(long lFlags,
                                              IWbemClassObject** ppNewClass) noexcept override;
  HRESULT STDMETHODCALLTYPE SpawnInstance(long lFlags,
                                          IWbemClassObject** ppNewInstance) noexcept override;
  HRESULT STDMETHODCALLTYPE CompareTo(long lFlags, IWbemClassObject* pCompareTo) noexcept override;
  HRESULT STDMETHODCALLTYPE GetPropertyOrigin(LPCWSTR wszName, BSTR* pstrClassName) noexcept override;
  HRESULT STDMETHODCALLTYPE InheritsFrom(LPCWSTR strAncestor) noexcept override;
  HRESULT STDMETHODCALLTYPE GetMethod(LPCWSTR wszName, long lFlags, IWbemClassObject** ppInSignature,
                                      IWbemClassObject** ppOutSignature) noexcept override;
  HRESULT STDMETHODCALLTYPE PutMethod(LPCWSTR wszName, long lFlags, IWbemClassObject* pInSignature,
                                      IWbemClassObject* pOutSignature) noexcept override;
  HRESULT STDMETHODCALLTYPE DeleteMethod(LPCWSTR wszName) noexcept override;
  HRESULT STDMETHODCALLTYPE BeginMethodEnumeration(long lEnumFlags) noexcept override;
  HRESULT STDMETHODCALLTYPE NextMethod(long lFlags, BSTR* pstrName,
                                       IWbemClassObject** ppInSignature,
                                       IWbemClassObject** ppOutSignature) noexcept override;
  HRESULT STDMETHODCALLTYPE EndMethodEnumeration() noexcept override;
  HRESULT STDMETHODCALLTYPE GetMethodQualifierSet(LPCWSTR wszMethod,
                                                  IWbemQualifierSet** ppQualSet) noexcept override;
  HRESULT STDMETHODCALLTYPE GetMethodOrigin(LPCWSTR wszMethodName,
                                            BSTR* pstrClassName) noexcept override;

  // ClassObjectView
  bool IsClass() const noexcept override { return isClass_; }
  // (On an instance this is its class, rather than undefined behaviour.)
  const ClassData& Class() const noexcept override { return isClass_ ? *cls_ : *inst_.cls; }
  const InstanceData& Instance() const noexcept override { return inst_; }
  bool HasAmendedQualifiers() const noexcept override;

  // The class definition behind the object (its own for a class, its
  // class's for an instance).
  const ClassData& Definition() const noexcept { return isClass_ ? *cls_ : *inst_.cls; }
  const Location& ObjectLocation() const noexcept {
    return isClass_ ? cls_->location : inst_.location;
  }
  bool IsStored() const noexcept {
    const Location& l = ObjectLocation();
    return !l.server.empty() || !l.nameSpace.empty();
  }
  // Copy-on-write access for class objects (throws std::bad_alloc).
  ClassData& MutableClass();
  InstanceData& MutableInstance() noexcept { return inst_; }
  // The shared class data (classes only); later writes copy first.
  ClassPtr SharedClass() const noexcept { return cls_; }

  // embedded::PutTaking (owned_put.h) on this object.
  HRESULT PutTaking(LPCWSTR name, com::Variant* value) noexcept;

  // The value of a system property (VT_NULL where §5.3 says so).
  HRESULT GetSystemProperty(int index, com::Variant* out) const;
  // Origin flavor of property `index` (WBEM_FLAVOR_ORIGIN_LOCAL/PROPAGATED).
  long PropertyOrigin(size_t index) const noexcept;

 private:
  bool MatchesNameFilter(size_t index, long flags, OleStringView qualifier,
                         const VARIANT* qualifierValue) const;
  HRESULT CollectNames(OleStringView qualifier, long flags, const VARIANT* qualifierValue,
                       std::vector<OleString>* out) const;
  HRESULT PutClassProperty(OleStringView name, const VARIANT* value, CIMTYPE type);
  HRESULT PutInstanceProperty(OleStringView name, const VARIANT* value, CIMTYPE type);
  HRESULT RenameClass(const VARIANT* value, CIMTYPE type);
  bool EqualTo(const ClassObject& other, long flags) const;

  const bool isClass_;
  ClassPtr cls_;       // classes
  bool owned_ = false;
  InstanceData inst_;  // instances

  bool enumActive_ = false;
  size_t enumPos_ = 0;
  std::vector<OleString> enumNames_;
  bool methodEnumActive_ = false;
  size_t methodEnumPos_ = 0;
  std::vector<OleString> methodEnumNames_;
};

// Thread: any. The ClassObject behind `obj` or nullptr (no AddRef).
ClassObject* ImplOf(IWbemClassObject* obj) noexcept;

}  // namespace wmiput::embedded
