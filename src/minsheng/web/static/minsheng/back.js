// The error page of a form that was not kept (an outage, a bug) says the browser's back keeps what was typed; its
// 返回上一页 button was a link that loaded the form anew, empty. When the form's page is the one just before in
// the history, the button goes back there as the browser's own back does.
document.addEventListener("click", (event) => {
  const back = event.target.closest("a#back[data-history]");
  if (back && window.history.length > 1 && document.referrer === back.href) {
    event.preventDefault();
    window.history.back();
  }
});
