package cose

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"math/big"
	"slices"
	"sync"
	"testing"

	"github.com/oasisprotocol/curve25519-voi/curve"
	"github.com/oasisprotocol/curve25519-voi/curve/scalar"
)

// The group order L and the field prime p, little-endian as Ed25519
// encodes them.
var (
	orderL = mustBig("7237005577332262213973186563042994240857116359379907606001950938285454250989")
	primeP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
)

func mustBig(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return n
}

// le32 is n as 32 little-endian bytes (n < 2^256).
func le32(n *big.Int) []byte { return reverse(n.FillBytes(make([]byte, 32))) }

// edgeEncodings are point encodings where Ed25519 implementations differ:
// every y below 19 (the only ones with a second, non-canonical encoding
// y+p), each with both sign bits, canonical and not, whether a point or
// not. They include the identity, the points of order 2 and 4, and x = 0
// with its sign bit set.
func edgeEncodings() [][]byte {
	var out [][]byte
	for y := int64(0); y < 19; y++ {
		for _, n := range []*big.Int{big.NewInt(y), new(big.Int).Add(primeP, big.NewInt(y))} {
			for _, sign := range []byte{0, 0x80} {
				e := le32(n)
				e[31] |= sign
				out = append(out, e)
			}
		}
	}
	return out
}

// torsion returns the 8 points of small order, found as the torsion parts
// of random points: P minus [8⁻¹]([8]P).
func torsion(t *testing.T) []*curve.EdwardsPoint {
	inv8 := scalar.New().Invert(scalar.NewFromUint64(8))
	seen := map[string]*curve.EdwardsPoint{}
	for len(seen) < 8 {
		var y [32]byte
		_, _ = rand.Read(y[:])
		var c curve.CompressedEdwardsY
		if _, err := c.SetBytes(y[:]); err != nil {
			t.Fatal(err)
		}
		var p curve.EdwardsPoint
		if _, err := p.SetCompressedY(&c); err != nil {
			continue // not a point
		}
		var p8, pl, pt curve.EdwardsPoint
		pl.Mul(p8.MulByCofactor(&p), inv8)
		pt.Sub(&p, &pl)
		var enc curve.CompressedEdwardsY
		enc.SetEdwardsPoint(&pt)
		seen[string(enc[:])] = &pt
	}
	var out []*curve.EdwardsPoint
	for _, p := range seen {
		out = append(out, p)
	}
	return out
}

func encode(p *curve.EdwardsPoint) []byte {
	var c curve.CompressedEdwardsY
	c.SetEdwardsPoint(p)
	return c[:]
}

func randomScalar(t *testing.T) *scalar.Scalar {
	s := scalar.New()
	if _, err := s.SetRandom(rand.Reader); err != nil {
		t.Fatal(err)
	}
	return s
}

// mixedSignature signs msg with secret a for the key aB+tA, using the
// nonce point rB+tR: a signature that the cofactored equation accepts and
// the cofactorless one (crypto/ed25519's) accepts only when tR = -h·tA.
func mixedSignature(t *testing.T, tA, tR *curve.EdwardsPoint, msg []byte) (pub, sig []byte) {
	a, r := randomScalar(t), randomScalar(t)
	var A, R curve.EdwardsPoint
	A.MulBasepoint(curve.ED25519_BASEPOINT_TABLE, a)
	R.MulBasepoint(curve.ED25519_BASEPOINT_TABLE, r)
	A.Add(&A, tA)
	R.Add(&R, tR)
	pub, rEnc := encode(&A), encode(&R)
	hash := sha512.Sum512(append(append(append([]byte{}, rEnc...), pub...), msg...))
	h, err := scalar.NewFromBytesModOrderWide(hash[:])
	if err != nil {
		t.Fatal(err)
	}
	s := scalar.New().Add(r, scalar.New().Mul(h, a))
	sig = make([]byte, 64)
	copy(sig, rEnc)
	if err := s.ToBytes(sig[32:]); err != nil {
		t.Fatal(err)
	}
	return pub, sig
}

// agree fails t when verifySig and crypto/ed25519 answer differently.
func agree(t *testing.T, what string, pub, msg, sig []byte) bool {
	t.Helper()
	want := len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
	if got := verifySig(pub, msg, sig); got != want {
		t.Errorf("%s: verifySig says %v, crypto/ed25519 %v\n key %x\n sig %x\n msg %x", what, got, want, pub, sig, msg)
		return false
	}
	return want
}

// TestVerifyAgreesWithStdlib holds verifySig to crypto/ed25519's answer on
// ordinary signatures and on the cases where Ed25519 implementations are
// known to part: keys and nonces of small order or with a torsion part,
// non-canonical point encodings, s at or above the group order.
func TestVerifyAgreesWithStdlib(t *testing.T) {
	msg := []byte("an entry's Sig_structure")

	// Ordinary keys and signatures, and each with one bit changed.
	for i := 0; i < 20; i++ {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		sig := ed25519.Sign(priv, msg)
		if !agree(t, "ordinary", pub, msg, sig) {
			t.Fatal("an ordinary signature does not verify")
		}
		for _, bit := range []int{0, 255, 256, 511} {
			bad := append([]byte{}, sig...)
			bad[bit/8] ^= 1 << (bit % 8)
			agree(t, "one bit of the signature changed", pub, msg, bad)
		}
		badKey := append([]byte{}, pub...)
		badKey[i] ^= 4
		agree(t, "one bit of the key changed", badKey, msg, sig)
		agree(t, "another message", pub, []byte("another"), sig)
		// s + L: the same signature with a non-canonical s.
		s := new(big.Int).SetBytes(reverse(sig[32:]))
		copy(sig[32:], le32(s.Add(s, orderL)))
		if agree(t, "s + L", pub, msg, sig) {
			t.Fatal("crypto/ed25519 accepted s + L")
		}
	}

	// Keys and nonces with torsion parts: cofactored and cofactorless
	// verification differ here, and both must take the cofactorless side.
	tor := torsion(t)
	var accepted, refused int
	for _, tA := range tor {
		for _, tR := range tor {
			pub, sig := mixedSignature(t, tA, tR, msg)
			if agree(t, "torsion in key and nonce", pub, msg, sig) {
				accepted++
			} else {
				refused++
			}
		}
	}
	t.Logf("torsion cases: %d accepted, %d refused", accepted, refused)
	if accepted == 0 || refused == 0 {
		t.Errorf("the torsion cases were all decided one way (%d accepted, %d refused): they test nothing", accepted, refused)
	}

	// Edge encodings as key and as R, with s = 0 and s = 1: the identity
	// key and nonce with s = 0 verifies under crypto/ed25519 in its
	// canonical encoding only.
	edges := edgeEncodings()
	var zero, one [32]byte
	one[0] = 1
	var edgeAccepted int
	for _, a := range edges {
		for _, r := range edges {
			for _, s := range [][]byte{zero[:], one[:]} {
				if agree(t, "edge encodings", a, msg, append(append([]byte{}, r...), s...)) {
					edgeAccepted++
				}
			}
		}
	}
	t.Logf("edge encodings: %d of %d cases verified", edgeAccepted, 2*len(edges)*len(edges))
	if edgeAccepted == 0 {
		t.Error("no edge-encoding case verified: the identity with s = 0 should")
	}

	// Wrong lengths.
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sig := ed25519.Sign(priv, msg)
	if verifySig(pub[:31], msg, sig) || verifySig(pub, msg, sig[:63]) || verifySig(nil, msg, nil) {
		t.Error("a short key or signature verified")
	}
}

// TestExpandedKeysStayBounded: a stream of different signers (a hostile
// input) does not grow the cache past its bound, and a key that left it is
// expanded again and still verifies.
func TestExpandedKeysStayBounded(t *testing.T) {
	msg := []byte("m")
	first, firstPriv, _ := ed25519.GenerateKey(rand.Reader)
	for i := 0; i < maxExpandedKeys+10; i++ {
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[:], uint64(i))
		priv := ed25519.NewKeyFromSeed(seed[:])
		if !verifySig(priv.Public().(ed25519.PublicKey), msg, ed25519.Sign(priv, msg)) {
			t.Fatalf("signer %d does not verify", i)
		}
		expanded.Lock()
		n := len(expanded.keys)
		expanded.Unlock()
		if n > maxExpandedKeys {
			t.Fatalf("%d keys cached, bound %d", n, maxExpandedKeys)
		}
	}
	if !verifySig(first, msg, ed25519.Sign(firstPriv, msg)) {
		t.Fatal("a key expanded after the cache started over does not verify")
	}
}

// reverse is b in the other byte order (a copy).
func reverse(b []byte) []byte {
	out := slices.Clone(b)
	slices.Reverse(out)
	return out
}

// FuzzVerifyAgreesWithStdlib: for any key, message and signature, verifySig
// and crypto/ed25519 give the same answer. The seeds are the edge
// encodings as key and R.
func FuzzVerifyAgreesWithStdlib(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	msg := []byte("m")
	f.Add([]byte(pub), msg, ed25519.Sign(priv, msg))
	edges := edgeEncodings()
	for i, e := range edges {
		f.Add(e, msg, append(append([]byte{}, edges[(i*7)%len(edges)]...), make([]byte, 32)...))
	}
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		want := len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
		if got := verifySig(pub, msg, sig); got != want {
			t.Fatalf("verifySig says %v, crypto/ed25519 %v: key %x sig %x", got, want, pub, sig)
		}
	})
}

// TestVerifyConcurrently: goroutines share expanded keys (a batch is
// checked on several cores with one signer's key) and the cache may start
// over under them; every answer stays right (run with -race).
func TestVerifyConcurrently(t *testing.T) {
	msg := []byte("m")
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sig := ed25519.Sign(priv, msg)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				if !verifySig(pub, msg, sig) {
					errs <- "a good signature failed"
					return
				}
				if verifySig(pub, []byte("other"), sig) {
					errs <- "a signature of another message verified"
					return
				}
				if g%2 == 1 { // other signers, pushing the cache to start over
					var seed [32]byte
					binary.LittleEndian.PutUint64(seed[:], uint64(g*1000+i))
					k := ed25519.NewKeyFromSeed(seed[:])
					if !verifySig(k.Public().(ed25519.PublicKey), msg, ed25519.Sign(k, msg)) {
						errs <- "another signer failed"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
