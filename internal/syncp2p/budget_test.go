package syncp2p

import "testing"

// The employer's budget of received images in memory is shared by all its
// rounds and returned whole after each: a budget smaller than one image
// still lets a push through, one image at a time.
func TestImageBudgetReturned(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.emp.svc.ImageBudget = 1
	w.chain.add(10)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatalf("push: %v", err)
	}
	w.checkSame(t)
	budget, _ := w.emp.svc.inFlight()
	if !budget.TryAcquire(1) {
		t.Fatal("the image budget was not returned after the round")
	}
}
