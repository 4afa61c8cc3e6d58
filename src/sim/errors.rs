//! API errors as the apiserver returns them (metav1.Status) and the field errors that
//! validation produces (apimachinery `util/validation/field`).
//!
//! Rendering follows apimachinery's `field.Error.ErrorBody`: numbers and bools print raw,
//! strings quoted like Go's `%q`, anything else as JSON.

use serde_json::Value;
use std::fmt;

/// The kind of a field error; its `Display` is apimachinery's `ErrorType.String()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

impl fmt::Display for FieldErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldErrorType::NotFound => "Not found",
            FieldErrorType::Required => "Required value",
            FieldErrorType::Duplicate => "Duplicate value",
            FieldErrorType::Invalid => "Invalid value",
            FieldErrorType::NotSupported => "Unsupported value",
            FieldErrorType::Forbidden => "Forbidden",
            FieldErrorType::TooLong => "Too long",
            FieldErrorType::TooMany => "Too many",
            FieldErrorType::Internal => "Internal error",
            FieldErrorType::TypeInvalid => "Invalid value",
        })
    }
}

/// One validation failure at a field path such as `spec.template.metadata.labels`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub kind: FieldErrorType,
    /// The offending value; `None` where Kubernetes omits it (Required, Forbidden, …).
    pub bad_value: Option<Value>,
    pub detail: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(field, FieldErrorType::Required, None, detail)
    }
    pub fn invalid(field: impl Into<String>, value: Value, detail: impl Into<String>) -> Self {
        Self::new(field, FieldErrorType::Invalid, Some(value), detail)
    }
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(field, FieldErrorType::Forbidden, None, detail)
    }
    pub fn duplicate(field: impl Into<String>, value: Value) -> Self {
        Self::new(field, FieldErrorType::Duplicate, Some(value), "")
    }
    pub fn not_found(field: impl Into<String>, value: Value) -> Self {
        Self::new(field, FieldErrorType::NotFound, Some(value), "")
    }
    /// `Unsupported value: "x": supported values: "a", "b"`.
    pub fn not_supported(field: impl Into<String>, value: Value, valid: &[&str]) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(field, FieldErrorType::NotSupported, Some(value), detail)
    }
    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        let detail = format!("may not be more than {max} bytes");
        Self::new(field, FieldErrorType::TooLong, None, detail)
    }
    pub fn new(
        field: impl Into<String>,
        kind: FieldErrorType,
        bad_value: Option<Value>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            kind,
            bad_value,
            detail: detail.into(),
        }
    }

    /// apimachinery's `ErrorBody`: everything after `<field>: `.
    pub fn body(&self) -> String {
        let mut s = match (&self.kind, &self.bad_value) {
            (
                FieldErrorType::Required
                | FieldErrorType::Forbidden
                | FieldErrorType::TooLong
                | FieldErrorType::Internal,
                _,
            )
            | (_, None) => self.kind.to_string(),
            (_, Some(v)) => format!("{}: {}", self.kind, render_bad_value(v)),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// Renders a bad value the way `ErrorBody` does.
pub fn render_bad_value(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => go_quote(s),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

/// Go's `%q` for the strings learners type (JSON escaping is the same for them).
pub fn go_quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// metav1.StatusReason values that kubesim returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReason {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    InternalError,
    /// 429: the eviction API's answer when a disruption budget forbids it.
    TooManyRequests,
    /// An error the apiserver did not turn into a status (`StatusReasonUnknown`, "").
    Unknown,
}

impl StatusReason {
    pub fn as_str(&self) -> &'static str {
        match self {
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::Conflict => "Conflict",
            StatusReason::Invalid => "Invalid",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::Forbidden => "Forbidden",
            StatusReason::MethodNotAllowed => "MethodNotAllowed",
            StatusReason::InternalError => "InternalError",
            StatusReason::TooManyRequests => "TooManyRequests",
            StatusReason::Unknown => "",
        }
    }

    pub fn code(&self) -> u16 {
        match self {
            StatusReason::NotFound => 404,
            StatusReason::AlreadyExists | StatusReason::Conflict => 409,
            StatusReason::Invalid => 422,
            StatusReason::BadRequest => 400,
            StatusReason::Forbidden => 403,
            StatusReason::MethodNotAllowed => 405,
            StatusReason::TooManyRequests => 429,
            StatusReason::InternalError | StatusReason::Unknown => 500,
        }
    }
}

/// An error status from the simulated apiserver (metav1.Status with reason and details).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub reason: StatusReason,
    /// `Status.message`, exactly as the apiserver words it.
    pub message: String,
    /// `details.kind` (for Invalid: the Kind, e.g. `Deployment`).
    pub kind: String,
    /// `details.name`.
    pub name: String,
    /// `details.causes` for Invalid.
    pub causes: Vec<FieldError>,
}

impl ApiError {
    fn new(reason: StatusReason, message: String) -> Self {
        ApiError {
            reason,
            message,
            kind: String::new(),
            name: String::new(),
            causes: vec![],
        }
    }

    /// `pods "x" not found` (resource is the plural with group: `deployments.apps`).
    pub fn not_found(resource: &str, name: &str) -> Self {
        let mut e = Self::new(
            StatusReason::NotFound,
            format!("{resource} {} not found", go_quote(name)),
        );
        e.name = name.to_string();
        e
    }

    /// `deployments.apps "web" already exists`.
    pub fn already_exists(resource: &str, name: &str) -> Self {
        let mut e = Self::new(
            StatusReason::AlreadyExists,
            format!("{resource} {} already exists", go_quote(name)),
        );
        e.name = name.to_string();
        e
    }

    /// `Deployment.apps "web" is invalid: spec.selector: Required value`
    /// (`qualified_kind` is Kind.group, or Kind for the core group).
    pub fn invalid(kind: &str, qualified_kind: &str, name: &str, causes: Vec<FieldError>) -> Self {
        let joined = match causes.len() {
            1 => causes[0].to_string(),
            _ => format!(
                "[{}]",
                causes
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let message = format!("{qualified_kind} {} is invalid: {joined}", go_quote(name));
        ApiError {
            reason: StatusReason::Invalid,
            message,
            kind: kind.to_string(),
            name: name.to_string(),
            causes,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusReason::BadRequest, message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusReason::Conflict, message.into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusReason::Forbidden, message.into())
    }

    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self::new(StatusReason::MethodNotAllowed, message.into())
    }

    pub fn too_many_requests(message: impl Into<String>) -> Self {
        Self::new(StatusReason::TooManyRequests, message.into())
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusReason::InternalError, message.into())
    }

    /// A 422 that names no object (`NewGenericServerResponse`): kubectl prints
    /// `The request is invalid: <message>`.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusReason::Invalid, message.into())
    }

    /// A plain error passed through as `StatusReasonUnknown` (`Error from server: …`).
    pub fn unknown(message: impl Into<String>) -> Self {
        Self::new(StatusReason::Unknown, message.into())
    }

    /// kubectl's `AddSourceToErr`: prefixes the message with `error when <verb> "<file>": `.
    pub fn with_source(mut self, verb: &str, source: &str) -> Self {
        if !source.is_empty() {
            self.message = format!("error when {verb} {}: {}", go_quote(source), self.message);
        }
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn bodies_render_like_apimachinery() {
        let cases = [
            (FieldError::required("spec.selector", ""), "spec.selector: Required value"),
            (
                FieldError::invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    json!(0),
                    "may not be 0 when `maxSurge` is 0",
                ),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
            ),
            (
                FieldError::invalid(
                    "spec.template.metadata.labels",
                    json!({"app": "api"}),
                    "`selector` does not match template `labels`",
                ),
                "spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`",
            ),
            (
                FieldError::not_supported("spec.type", json!("Foo"), &["ClusterIP", "NodePort"]),
                "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"NodePort\"",
            ),
            (FieldError::invalid("x", json!("0%"), ""), "x: Invalid value: \"0%\""),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn invalid_message_names_the_qualified_kind() {
        let e = ApiError::invalid(
            "Deployment",
            "Deployment.apps",
            "web",
            vec![FieldError::required("spec.selector", "")],
        );
        assert_eq!(
            e.message,
            "Deployment.apps \"web\" is invalid: spec.selector: Required value"
        );
        assert_eq!(e.reason.code(), 422);
    }
}
