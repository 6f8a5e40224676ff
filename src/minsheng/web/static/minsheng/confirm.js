// Destructive and mass actions ask first: a form or its submit button with data-confirm="…" shows the question,
// and "取消" leaves everything as it was.
document.addEventListener("submit", (event) => {
  const holder = event.submitter && event.submitter.dataset.confirm ? event.submitter : event.target;
  const question = holder.dataset ? holder.dataset.confirm : "";
  if (question && !window.confirm(question)) event.preventDefault();
});
