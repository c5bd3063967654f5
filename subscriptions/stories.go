package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"livealert/subscriptions/match"
)

// One alert per story across sources: a new entry whose fingerprint (match.Story) is the same
// story as an entry of another source seen within StoryWindow joins that entry's story. A chat
// (forum topic) alerted to the story within StoryWindow gets no second alert: Ingest queues an
// "also" row instead (Delivery.AlsoOf), which the sender sends as an edit of the first alert's
// message adding a line for the new source. The digest lists a story's entries as one item.
// An entry edited at its own source is not a new story member: that is Ingest's edit handling.

// StoryWindow is how long after an entry is first seen another source's entry can join its
// story, and how long after a chat's alert of a story a later one is folded into it.
const StoryWindow = 6 * time.Hour

// storyKeep is how long an entry's story is kept: long enough for the digest that lists it
// (a day, and the catch-up after a restart) to group it with the rest of its story.
const storyKeep = 48 * time.Hour

// storyCandidate is an entry seen within StoryWindow, which a new entry may join the story of.
type storyCandidate struct {
	storyID int64
	source  string
	story   match.Story
}

// stories is what one Ingest knows of the stories of the last StoryWindow: read on its first
// new entry, added to as it records more.
type stories struct {
	loaded     bool
	candidates []storyCandidate
	sources    map[int64]map[string]bool // the sources of each story's entries
}

// load reads the fingerprints of the entries first seen since now-StoryWindow, once, and
// prunes what is older than the window (alerts) or storyKeep (fingerprints).
func (st *stories) load(ctx context.Context, tx *sql.Tx, now time.Time) error {
	if st.loaded {
		return nil
	}
	st.loaded = true
	st.sources = map[int64]map[string]bool{}
	if _, err := tx.ExecContext(ctx, `DELETE FROM entry_stories WHERE created_at < ?`, unix(now.Add(-storyKeep))); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_alerts WHERE created_at < ?`, unix(now.Add(-StoryWindow))); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT story_id, source, shingles FROM entry_stories WHERE created_at >= ?`,
		unix(now.Add(-StoryWindow)))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c storyCandidate
		var blob []byte
		if err := rows.Scan(&c.storyID, &c.source, &blob); err != nil {
			return err
		}
		if err := c.story.UnmarshalBinary(blob); err != nil {
			return err
		}
		st.add(c)
	}
	return rows.Err()
}

func (st *stories) add(c storyCandidate) {
	st.candidates = append(st.candidates, c)
	if st.sources[c.storyID] == nil {
		st.sources[c.storyID] = map[string]bool{}
	}
	st.sources[c.storyID][c.source] = true
}

// record finds the story of a new entry of source (its row entryID): the story of the most
// similar entry of another source at least match.SameStoryThreshold alike, provided no entry
// of that story came from this same source; else a story of its own (its own id). It records
// the entry's fingerprint and returns its story's id.
func (st *stories) record(ctx context.Context, tx *sql.Tx, now time.Time, entryID int64, source string, story match.Story) (int64, error) {
	if err := st.load(ctx, tx, now); err != nil {
		return 0, err
	}
	storyID, best := entryID, 0.0
	if !story.Empty() {
		for _, c := range st.candidates {
			if c.source == source || st.sources[c.storyID][source] {
				continue
			}
			if sim := story.Similarity(c.story); sim >= match.SameStoryThreshold && sim > best {
				storyID, best = c.storyID, sim
			}
		}
	}
	blob, err := story.MarshalBinary()
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO entry_stories (entry_id, story_id, source, shingles, created_at) VALUES (?, ?, ?, ?, ?)`,
		entryID, storyID, source, blob, unix(now))
	if err != nil {
		return 0, err
	}
	st.add(storyCandidate{storyID: storyID, source: source, story: story})
	return storyID, nil
}

// storyAlerted returns, when the chat's thread was alerted to story storyID within
// StoryWindow, when an alert folded into it may go out: no earlier than the first alert while
// that one still waits in the outbox (the sender takes a chat's rows by due time). ok is false
// when the thread was not alerted to the story.
func storyAlerted(ctx context.Context, tx *sql.Tx, now time.Time, chatID int64, threadID int, storyID int64) (due time.Time, ok bool, err error) {
	var firstDue sql.NullInt64
	err = tx.QueryRowContext(ctx, `
		SELECT (SELECT o.due_at FROM outbox o WHERE o.chat_id = sa.chat_id AND o.thread_id = sa.thread_id
			AND o.entry_id = sa.entry_id)
		FROM story_alerts sa
		WHERE sa.chat_id = ? AND sa.thread_id = ? AND sa.story_id = ? AND sa.created_at >= ?`,
		chatID, threadID, storyID, unix(now.Add(-StoryWindow))).Scan(&firstDue)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return fromUnix(firstDue.Int64), true, nil
}

// StoryMessage is the message of a chat's first alert of a story, as it stands.
type StoryMessage struct {
	// MessageID is Telegram's; 0 while the alert has not been sent (or no alert is known).
	MessageID int
	// Text is the message's Telegram HTML, Keyboard its inline keyboard as JSON ("" for none).
	Text, Keyboard string
}

// StoryMessage returns the message of the chat's (forum topic's) first alert of story
// storyID within StoryWindow; a zero MessageID when there is none or it was not sent.
func (s *Store) StoryMessage(ctx context.Context, chatID int64, threadID int, storyID int64) (StoryMessage, error) {
	var m StoryMessage
	err := s.reader.QueryRowContext(ctx, `
		SELECT message_id, text, keyboard FROM story_alerts
		WHERE chat_id = ? AND thread_id = ? AND story_id = ? AND created_at >= ?`,
		chatID, threadID, storyID, unix(s.now().Add(-StoryWindow))).Scan(&m.MessageID, &m.Text, &m.Keyboard)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return StoryMessage{}, fmt.Errorf("subscriptions: story message: %w", err)
	}
	return m, nil
}

// SentMessage is one message Telegram accepted: the outbox rows it carried (IDs), and the
// message as it now stands, which Delivered records for the stories its alerts began.
type SentMessage struct {
	IDs    []int64
	ChatID int64
	// MessageID is Telegram's id of the message; 0 when not known (nothing is recorded).
	MessageID int
	// Text (Telegram HTML) and Keyboard (JSON, "" for none) are what it shows now.
	Text, Keyboard string
	// Edit is true when the message was an edit of MessageID (an "also" row), false when it
	// was sent.
	Edit bool
}

// Delivered removes the rows of messages Telegram accepted from the queue, in one
// transaction, and records the message of each story alert among them (and the new text of an
// edited one), so that a later alert of the same story can edit it.
func (s *Store) Delivered(ctx context.Context, msgs []SentMessage) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, m := range msgs {
			if m.MessageID != 0 {
				var err error
				if m.Edit {
					_, err = tx.ExecContext(ctx, `UPDATE story_alerts SET text = ?, keyboard = ? WHERE chat_id = ? AND message_id = ?`,
						m.Text, m.Keyboard, m.ChatID, m.MessageID)
				} else {
					for _, id := range m.IDs {
						_, err = tx.ExecContext(ctx, `
							UPDATE story_alerts SET message_id = ?, text = ?, keyboard = ?
							WHERE (chat_id, thread_id, entry_id) IN (
								SELECT chat_id, thread_id, entry_id FROM outbox WHERE id = ? AND kind = 'alert')`,
							m.MessageID, m.Text, m.Keyboard, id)
						if err != nil {
							break
						}
					}
				}
				if err != nil {
					return err
				}
			}
			for _, id := range m.IDs {
				if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("subscriptions: delivered: %w", err)
	}
	return nil
}
