package fakebotapi

import (
	"encoding/json"
	"net/http"
)

// apiError is a failed Bot API call as Telegram reports it.
type apiError struct {
	code        int    // HTTP status and error_code
	description string // full description, e.g. "Bad Request: chat not found"
	retryAfter  int    // parameters.retry_after, 0 for none
	migrateTo   int64  // parameters.migrate_to_chat_id, 0 for none
	body        string // if set, sent verbatim as text/html instead of JSON
}

func badRequest(desc string) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + desc}
}

func forbidden(desc string) *apiError {
	return &apiError{code: http.StatusForbidden, description: "Forbidden: " + desc}
}

type responseParameters struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

type errorResponse struct {
	OK          bool                `json:"ok"`
	ErrorCode   int                 `json:"error_code"`
	Description string              `json:"description"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

type okResponse struct {
	OK     bool `json:"ok"`
	Result any  `json:"result"`
}

// writeError sends e with its HTTP status.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.body != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(e.code)
		_, _ = w.Write([]byte(e.body))
		return
	}
	resp := errorResponse{ErrorCode: e.code, Description: e.description}
	if e.retryAfter != 0 || e.migrateTo != 0 {
		resp.Parameters = &responseParameters{RetryAfter: e.retryAfter, MigrateToChatID: e.migrateTo}
	}
	writeJSON(w, e.code, resp)
}

// writeResult sends {"ok":true,"result":result}.
func writeResult(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, okResponse{OK: true, Result: result})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorResponse{ErrorCode: status, Description: "Internal Server Error: fakebotapi: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
