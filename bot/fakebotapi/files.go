package fakebotapi

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// Files as Telegram keeps them: a document sent by the bot (sendDocument, uploaded as
// multipart/form-data) or by a user (SendDocument) gets a file_id and a file_unique_id;
// getFile gives a file_path for files up to maxDownloadBytes, downloaded with GET
// /file/bot<token>/<file_path>.

const (
	// maxUploadBytes is the largest file a bot may upload (sendDocument, multipart).
	maxUploadBytes = 50 << 20
	// maxDownloadBytes is the largest file getFile lets a bot download.
	maxDownloadBytes = 20 << 20
	// maxCaptionRunes is the longest caption, in UTF-16 units after entity parsing.
	maxCaptionRunes = 1024
)

// upload is one file part of a multipart request.
type upload struct {
	name string
	data []byte
}

// storedFile is a file the server holds.
type storedFile struct {
	id, uniqueID string
	name, mime   string
	path         string // file_path getFile returns
	data         []byte
}

// Document is a file attached to a message.
type Document struct {
	FileID   string
	FileName string
	MimeType string
	Data     []byte
}

func (f *storedFile) model() *models.Document {
	return &models.Document{FileID: f.id, FileUniqueID: f.uniqueID, FileName: f.name, MimeType: f.mime, FileSize: int64(len(f.data))}
}

// addFileLocked stores data as a new file (the same contents keep the same file_unique_id, as
// in Telegram) and returns it. s.mu must be held.
func (s *Server) addFileLocked(name string, data []byte) *storedFile {
	sum := sha256.Sum256(data)
	s.lastFile++
	f := &storedFile{
		id:       fmt.Sprintf("BQACAgIAAx%06d%s", s.lastFile, base64.RawURLEncoding.EncodeToString(sum[:6])),
		uniqueID: "AgAD" + base64.RawURLEncoding.EncodeToString(sum[:8]),
		name:     name,
		mime:     mimeOf(name),
		path:     fmt.Sprintf("documents/file_%d%s", s.lastFile, path.Ext(name)),
		data:     append([]byte(nil), data...),
	}
	if s.files == nil {
		s.files = map[string]*storedFile{}
	}
	s.files[f.id] = f
	return f
}

// mimeOf is the MIME type Telegram gives a document by its file name.
func mimeOf(name string) string {
	t := mime.TypeByExtension(strings.ToLower(path.Ext(name)))
	if t == "" {
		return "application/octet-stream"
	}
	mt, _, _ := strings.Cut(t, ";")
	return mt
}

// sendDocument sends a document: an upload in the multipart field "document", or the
// file_id of a file the server holds; a caption with parse_mode or caption_entities.
func (s *Server) sendDocument(p params, files map[string]upload) (any, *apiError) {
	var caption formattedText
	if p["caption"] != "" {
		var apiErr *apiError
		if caption, apiErr = formatText(p["caption"], p["parse_mode"], p["caption_entities"]); apiErr != nil {
			return nil, apiErr
		}
		if len(utf16.Encode([]rune(caption.plain))) > maxCaptionRunes {
			return nil, badRequest("message caption is too long")
		}
	}
	markup, apiErr := parseReplyMarkup(p["reply_markup"])
	if apiErr != nil {
		return nil, apiErr
	}
	threadID, ok := p.int("message_thread_id")
	if !ok {
		return nil, badRequest("message thread not found")
	}
	up, uploaded := files["document"]
	switch {
	case uploaded && len(up.data) == 0:
		return nil, badRequest("file must be non-empty")
	case uploaded && len(up.data) > maxUploadBytes:
		return nil, &apiError{code: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"}
	case !uploaded && p["document"] == "":
		return nil, badRequest("there is no document in the request")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var f *storedFile
	if uploaded {
		name := up.name
		if name == "" {
			name = "document"
		}
		f = s.addFileLocked(name, up.data)
	} else if f = s.files[p["document"]]; f == nil {
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	if apiErr := s.checkAccessLocked(cs, true); apiErr != nil {
		return nil, apiErr
	}
	if threadID != 0 && cs.chat.IsForum && !cs.threads[threadID] {
		return nil, badRequest("message thread not found")
	}
	bot := s.bot
	m := &storedMessage{threadID: threadID, fromBot: true, from: &bot, text: caption, markup: markup, document: f}
	m.isTopic = threadID != 0 && cs.chat.IsForum
	s.addMessageLocked(cs, m)
	return s.modelLocked(cs, m, true), nil
}

// getFile returns a file's path for downloading; Telegram refuses files over 20 MB.
func (s *Server) getFile(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[p["file_id"]]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > maxDownloadBytes {
		return nil, badRequest("file is too big")
	}
	return &models.File{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: int64(len(f.data)), FilePath: f.path}, nil
}

// serveFile answers GET /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	if token != s.token {
		writeError(w, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	s.mu.Lock()
	var found *storedFile
	for _, f := range s.files {
		if f.path == filePath {
			found = f
			break
		}
	}
	s.mu.Unlock()
	if found == nil || len(found.data) > maxDownloadBytes || r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(len(found.data)))
	_, _ = w.Write(found.data)
}

// SendDocument injects a document a user sends in chat, with a caption (a command in it
// carries a bot_command entity, as Telegram sends it), and returns its update id. The file
// is stored for getFile. chat.ID 0 means the private chat with from.
func (s *Server) SendDocument(chat Chat, from User, name string, data []byte, caption string) int64 {
	if chat.ID == 0 {
		chat = PrivateChat(from)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.rememberUserLocked(from)
	cs := s.upsertChatLocked(chat)
	m := &storedMessage{
		from:     &u,
		text:     formattedText{raw: caption, plain: caption, entities: commandEntities(caption)},
		document: s.addFileLocked(name, data),
	}
	s.addMessageLocked(cs, m)
	msg := s.modelLocked(cs, m, true)
	if cs.chat.Type == models.ChatTypeChannel {
		return s.enqueueLocked(models.AllowedUpdateChannelPost, models.Update{ChannelPost: msg})
	}
	return s.enqueueLocked(models.AllowedUpdateMessage, models.Update{Message: msg})
}
