package cose_test

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
)

func testKey(seed byte) ed25519.PrivateKey {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed
	}
	return ed25519.NewKeyFromSeed(s)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	key := testKey(1)
	payload, err := cose.Marshal(map[int]any{1: "hello", 2: uint64(7)})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cose.Sign(key, payload)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cose.Verify(msg, key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if string(got) != string(payload) {
		t.Fatalf("payload = %x, want %x", got, payload)
	}
	if _, err := cose.Verify(msg, testKey(2).Public().(ed25519.PublicKey)); !errors.Is(err, cose.ErrWrongKey) {
		t.Fatalf("Verify with other key: err = %v, want ErrWrongKey", err)
	}
}

func TestEveryByteFlipFails(t *testing.T) {
	key := testKey(3)
	payload, _ := cose.Marshal([]any{"entry", uint64(1)})
	msg, err := cose.Sign(key, payload)
	if err != nil {
		t.Fatal(err)
	}
	for i := range msg {
		bad := append([]byte(nil), msg...)
		bad[i] ^= 0x01
		if _, err := cose.Verify(bad, key.Public().(ed25519.PublicKey)); err == nil {
			t.Fatalf("flipping byte %d of %d still verifies", i, len(msg))
		}
	}
}

func TestUnmarshalRefusesNonDeterministic(t *testing.T) {
	// {1: 1} with the key encoded in two bytes (0x18 0x01) instead of one.
	var v map[int]int
	if err := cose.Unmarshal([]byte{0xa1, 0x18, 0x01, 0x01}, &v); !errors.Is(err, cose.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	if err := cose.Unmarshal([]byte{0xa1, 0x01, 0x01, 0x00}, &v); !errors.Is(err, cose.ErrMalformed) {
		t.Fatalf("trailing byte: err = %v, want ErrMalformed", err)
	}
}

func FuzzOpen(f *testing.F) {
	key := testKey(4)
	payload, _ := cose.Marshal("seed")
	msg, _ := cose.Sign(key, payload)
	f.Add(msg)
	f.Add([]byte{0xd2, 0x84})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := cose.Open(data)
		if err != nil {
			return
		}
		// Anything that opens must have a payload and verify again.
		if _, err := cose.Verify(data, m.Signer); err != nil {
			t.Fatalf("Open accepted but Verify refused: %v", err)
		}
	})
}

func TestUnprotectedHeaderHasOneForm(t *testing.T) {
	key := testKey(5)
	payload, _ := cose.Marshal("x")
	msg, err := cose.Sign(key, payload)
	if err != nil {
		t.Fatal(err)
	}
	// d2 (tag 18) 84 (array of 4) 58 NN (protected bstr of NN bytes) then
	// the unprotected header.
	if msg[0] != 0xd2 || msg[1] != 0x84 || msg[2] != 0x58 {
		t.Fatalf("unexpected message start % x", msg[:3])
	}
	i := 4 + int(msg[3])
	if msg[i] != 0xa0 {
		t.Fatalf("byte %d is %#x, want the empty map a0", i, msg[i])
	}
	alt := append([]byte(nil), msg...)
	alt[i] = 0xf6 // null instead of {}
	if _, err := cose.Open(alt); err == nil {
		t.Fatal("a null unprotected header was accepted: the same signature has two byte forms")
	}
}

// Unverified reads what Open reads, checks the same headers, and leaves
// only the signature unchecked.
func TestUnverifiedSkipsOnlyTheSignature(t *testing.T) {
	key := testKey(4)
	payload, _ := cose.Marshal([]any{"own entry", uint64(9)})
	msg, err := cose.Sign(key, payload)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := cose.Open(msg)
	if err != nil {
		t.Fatal(err)
	}
	read, err := cose.Unverified(msg)
	if err != nil || string(read.Payload) != string(opened.Payload) || !read.Signer.Equal(opened.Signer) {
		t.Fatalf("Unverified = %+v, %v; want what Open gives, %+v", read, err, opened)
	}
	badSig := append([]byte(nil), msg...)
	badSig[len(badSig)-1] ^= 0x01
	if _, err := cose.Unverified(badSig); err != nil {
		t.Errorf("Unverified of a message with a flipped signature bit: %v, want its payload", err)
	}
	if _, err := cose.Open(badSig); !errors.Is(err, cose.ErrBadSignature) {
		t.Errorf("Open of the same: %v, want ErrBadSignature", err)
	}
	for _, bad := range [][]byte{nil, msg[:len(msg)/2], append([]byte{0xd1}, msg[1:]...)} {
		if _, err := cose.Unverified(bad); err == nil {
			t.Errorf("Unverified(%x) decoded a malformed message", bad)
		}
	}
}
