// IWbemServices of the embedded server, bound to one namespace of a
// repository. It validates each call synchronously (wmi-put-semantics.md
// §1.1, §1.2, §1.5), then runs the operation:
//   - Async forms: on the repository's executor; the sink gets Indicate (for
//     objects) and exactly one SetStatus(WBEM_STATUS_COMPLETE, ...), then is
//     released. A call that returns an error never touches the sink.
//   - Sync forms: on the calling thread; they return what the async form would
//     deliver, and hand back a completed IWbemCallResult when ppCallResult is
//     not NULL.
//   - Semisynchronous (WBEM_FLAG_RETURN_IMMEDIATELY + ppCallResult): on the
//     executor, reported through the returned IWbemCallResult.
//
// Returned synchronously: WBEM_E_INVALID_PARAMETER (NULL object/sink/out
// pointer, a foreign object, flags outside the method's set or a bad
// combination; bits of WBEM_MASK_RESERVED_FLAGS are ignored),
// WBEM_E_INVALID_NAMESPACE (the namespace was deleted), WBEM_E_QUOTA_VIOLATION
// (an instance __RELPATH longer than 8192), injected synchronous faults,
// WBEM_E_OUT_OF_MEMORY. Everything else arrives through SetStatus with an
// __ExtendedStatus error object (Description, Operation, ParameterInfo,
// ProviderName "Windows Management", StatusCode).
//
// Injected faults (embedded.h InjectFault) apply to the writing operations:
// PutClass, PutInstance, DeleteClass, DeleteInstance in every form.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "com/unknown.h"
#include "com/raii.h"
#include "embedded/async_call.h"
#include "embedded/embedded.h"
#include "embedded/model.h"
#include "embedded/repository.h"
#include "embedded/server_state.h"

namespace wmiput::embedded {

class Services final : public com::UnknownImpl<Services, IWbemServices, IID_IWbemServices>, public StatusSource {
  friend class com::UnknownImpl<Services, IWbemServices, IID_IWbemServices>;  // deletes us on the last Release
 public:
  // Thread: any. WBEM_E_INVALID_NAMESPACE when `ns` does not exist.
  static HRESULT Create(const RepositoryPtr& repo, OleStringView ns,
                        IWbemServices** out) noexcept;


  // IWbemServices. Thread: any.
  HRESULT STDMETHODCALLTYPE OpenNamespace(const BSTR strNamespace, long lFlags,
                                          IWbemContext* pCtx,
                                          IWbemServices** ppWorkingNamespace,
                                          IWbemCallResult** ppResult) noexcept override;
  HRESULT STDMETHODCALLTYPE CancelAsyncCall(IWbemObjectSink* pSink) noexcept override;
  HRESULT STDMETHODCALLTYPE QueryObjectSink(long lFlags,
                                            IWbemObjectSink** ppResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE GetObject(const BSTR strObjectPath, long lFlags, IWbemContext* pCtx,
                                      IWbemClassObject** ppObject,
                                      IWbemCallResult** ppCallResult) noexcept override;
  HRESULT STDMETHODCALLTYPE GetObjectAsync(const BSTR strObjectPath, long lFlags,
                                           IWbemContext* pCtx,
                                           IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE PutClass(IWbemClassObject* pObject, long lFlags, IWbemContext* pCtx,
                                     IWbemCallResult** ppCallResult) noexcept override;
  HRESULT STDMETHODCALLTYPE PutClassAsync(IWbemClassObject* pObject, long lFlags,
                                          IWbemContext* pCtx,
                                          IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE DeleteClass(const BSTR strClass, long lFlags, IWbemContext* pCtx,
                                        IWbemCallResult** ppCallResult) noexcept override;
  HRESULT STDMETHODCALLTYPE DeleteClassAsync(const BSTR strClass, long lFlags,
                                             IWbemContext* pCtx,
                                             IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE CreateClassEnum(const BSTR strSuperclass, long lFlags,
                                            IWbemContext* pCtx,
                                            IEnumWbemClassObject** ppEnum) noexcept override;
  HRESULT STDMETHODCALLTYPE CreateClassEnumAsync(const BSTR strSuperclass, long lFlags,
                                                 IWbemContext* pCtx,
                                                 IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE PutInstance(IWbemClassObject* pInst, long lFlags, IWbemContext* pCtx,
                                        IWbemCallResult** ppCallResult) noexcept override;
  HRESULT STDMETHODCALLTYPE PutInstanceAsync(IWbemClassObject* pInst, long lFlags,
                                             IWbemContext* pCtx,
                                             IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE DeleteInstance(const BSTR strObjectPath, long lFlags,
                                           IWbemContext* pCtx,
                                           IWbemCallResult** ppCallResult) noexcept override;
  HRESULT STDMETHODCALLTYPE DeleteInstanceAsync(const BSTR strObjectPath, long lFlags,
                                                IWbemContext* pCtx,
                                                IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE CreateInstanceEnum(const BSTR strFilter, long lFlags,
                                               IWbemContext* pCtx,
                                               IEnumWbemClassObject** ppEnum) noexcept override;
  HRESULT STDMETHODCALLTYPE CreateInstanceEnumAsync(const BSTR strFilter, long lFlags,
                                                    IWbemContext* pCtx,
                                                    IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE ExecQuery(const BSTR strQueryLanguage, const BSTR strQuery,
                                      long lFlags, IWbemContext* pCtx,
                                      IEnumWbemClassObject** ppEnum) noexcept override;
  HRESULT STDMETHODCALLTYPE ExecQueryAsync(const BSTR strQueryLanguage, const BSTR strQuery,
                                           long lFlags, IWbemContext* pCtx,
                                           IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE ExecNotificationQuery(const BSTR strQueryLanguage,
                                                  const BSTR strQuery, long lFlags,
                                                  IWbemContext* pCtx,
                                                  IEnumWbemClassObject** ppEnum) noexcept override;
  HRESULT STDMETHODCALLTYPE ExecNotificationQueryAsync(
      const BSTR strQueryLanguage, const BSTR strQuery, long lFlags, IWbemContext* pCtx,
      IWbemObjectSink* pResponseHandler) noexcept override;
  HRESULT STDMETHODCALLTYPE ExecMethod(const BSTR strObjectPath, const BSTR strMethodName,
                                       long lFlags, IWbemContext* pCtx,
                                       IWbemClassObject* pInParams,
                                       IWbemClassObject** ppOutParams,
                                       IWbemCallResult** ppCallResult) noexcept override;
  HRESULT STDMETHODCALLTYPE ExecMethodAsync(const BSTR strObjectPath, const BSTR strMethodName,
                                            long lFlags, IWbemContext* pCtx,
                                            IWbemClassObject* pInParams,
                                            IWbemObjectSink* pResponseHandler) noexcept override;

  // StatusSource. Thread: any.
  com::ComPtr<IWbemClassObject> CancelStatus(HRESULT hr,
                                             const OLECHAR* operation) noexcept override;

  // Thread: any. An __ExtendedStatus instance describing a failure.
  com::ComPtr<IWbemClassObject> StatusObject(HRESULT hr, const OLECHAR* operation,
                                             OleStringView description,
                                             OleStringView parameterInfo) noexcept;

 private:
  Services(RepositoryPtr repo, std::shared_ptr<ServerState> state, OleString ns);
  ~Services();

  // How the caller wants an operation run.
  struct Form {
    IWbemObjectSink* sink = nullptr;          // async
    bool semisync = false;                    // RETURN_IMMEDIATELY
    IWbemCallResult** ppCallResult = nullptr; // sync / semisync
    IWbemClassObject** ppObject = nullptr;    // sync GetObject

    // Thread: any. The form of an ...Async call.
    static Form Async(IWbemObjectSink* sink) noexcept {
      Form f;
      f.sink = sink;
      return f;
    }
    // Thread: any. The form of a synchronous call, semisynchronous with
    // WBEM_FLAG_RETURN_IMMEDIATELY; false when semisynchronous has nowhere
    // to put its call result (the caller returns WBEM_E_INVALID_PARAMETER).
    static bool Call(long flags, IWbemCallResult** ppCallResult, Form* out) noexcept {
      out->semisync = (flags & WBEM_FLAG_RETURN_IMMEDIATELY) != 0;
      out->ppCallResult = ppCallResult;
      return !out->semisync || ppCallResult != nullptr;
    }
  };
  // Checks common to every call: namespace still present.
  HRESULT CheckNamespace() const noexcept;
  // Runs `body` in the requested form (see the file comment); `operation`
  // names it in error objects.
  HRESULT Run(const Form& form, OpBody body, const OLECHAR* operation) noexcept;
  // A body that completes with `hr` and an __ExtendedStatus object
  // (`description` must outlive the call: a literal).
  OpBody FailureBody(HRESULT hr, const OLECHAR* operation, const OLECHAR* description,
                     OleString parameterInfo);
  // Common tails of the Put/Delete methods.
  HRESULT DoPutClass(IWbemClassObject* obj, long flags, IWbemContext* ctx,
                     const Form& form) noexcept;
  HRESULT DoPutInstance(IWbemClassObject* obj, long flags, IWbemContext* ctx,
                        const Form& form) noexcept;
  HRESULT DoDelete(bool isClass, const BSTR target, IWbemContext* ctx,
                   const Form& form) noexcept;
  HRESULT DoGetObject(const BSTR path, long flags, const Form& form) noexcept;
  HRESULT DoEnum(bool classes, const BSTR name, long flags, const Form& form,
                 IEnumWbemClassObject** ppEnum) noexcept;
  // Reports a repository outcome: SetStatus(hr, path) or the error object.
  void Report(Delivery& d, const OpResult& r, const OLECHAR* operation,
              OleStringView defaultParameter) noexcept;
  ClassPtr ExtendedStatusClass() noexcept;

  const RepositoryPtr repo_;
  const std::shared_ptr<ServerState> state_;
  const OleString ns_;
  const std::shared_ptr<CallRegistry> calls_;
  std::mutex statusMu_;
  // NamespaceRemovals() when ns_ was last seen to exist (~0: not yet).
  mutable std::atomic<uint64_t> nsSeenAt_{~uint64_t{0}};
  ClassPtr extendedStatus_;
};

}  // namespace wmiput::embedded
